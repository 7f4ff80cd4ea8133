/** One bar of a daily chart, in SVG user units. */
export interface Bar {
  day: string;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BarChartData {
  bars: Bar[];
  /** The value the top of the chart stands for (a whole number of "nice" steps, ≥ the largest value). */
  max: number;
  /** Horizontal grid lines: value and y. */
  ticks: Array<{ value: number; y: number }>;
}

export interface ChartBox {
  width: number;
  height: number;
  /** Gap between bars, as a fraction of each slot (0–1). */
  gap?: number;
}

/** 1, 2 or 5 times a power of ten, at least `value` (0 → 1): the chart's top. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * Lays out one bar per day (oldest first, as the API sends them), scaled to the box; zero-height bars for empty
 * days. `minTop` keeps the scale readable when every value is small (e.g. 4 for counts: ticks 0, 1, 2, 3, 4).
 */
export function barChart(points: ReadonlyArray<{ day: string; value: number }>, box: ChartBox, tickCount = 4, minTop = 0): BarChartData {
  // A "nice" step (1, 2 or 5 × 10ⁿ) for about `tickCount` intervals, and a top that is a whole number of steps.
  const highest = Math.max(0, minTop, ...points.map((p) => p.value));
  const step = niceCeiling(highest / tickCount);
  const max = Math.max(step, step * Math.ceil(highest / step));
  const slot = points.length > 0 ? box.width / points.length : box.width;
  const gap = Math.min(Math.max(box.gap ?? 0.2, 0), 0.9) * slot;
  const bars = points.map((p, i) => {
    const height = (Math.max(0, p.value) / max) * box.height;
    return { day: p.day, value: p.value, x: i * slot + gap / 2, y: box.height - height, width: slot - gap, height };
  });
  const ticks = Array.from({ length: Math.round(max / step) + 1 }, (_, i) => {
    const value = step * i;
    return { value, y: box.height - (value / max) * box.height };
  });
  return { bars, max, ticks };
}

import { describe, expect, it } from 'vitest';
import { barChart, niceCeiling } from './chart-data';

describe('barChart', () => {
  it('rounds the top of the chart to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 1, 3, 7, 12, 180, 1_048_576].map(niceCeiling)).toEqual([1, 0.5, 1, 5, 10, 20, 200, 2_000_000]);
  });

  it('lays out one bar per day, oldest first, scaled to the box, with empty days flat', () => {
    const { bars, max, ticks } = barChart(
      [
        { day: '2026-03-01', value: 4 },
        { day: '2026-03-02', value: 0 },
        { day: '2026-03-03', value: 10 },
        { day: '2026-03-04', value: 5 },
      ],
      { width: 400, height: 100, gap: 0.5 },
      2,
    );
    expect(max).toBe(10);
    expect(bars.map((b) => [b.day, b.x, b.width, b.y, b.height])).toEqual([
      ['2026-03-01', 25, 50, 60, 40],
      ['2026-03-02', 125, 50, 100, 0],
      ['2026-03-03', 225, 50, 0, 100],
      ['2026-03-04', 325, 50, 50, 50],
    ]);
    expect(ticks).toEqual([
      { value: 0, y: 100 },
      { value: 5, y: 50 },
      { value: 10, y: 0 },
    ]);
  });

  it('draws an empty window without dividing by zero', () => {
    const { bars, max } = barChart([{ day: '2026-03-01', value: 0 }], { width: 100, height: 50 });
    expect(max).toBe(1);
    expect(bars[0]).toMatchObject({ height: 0, y: 50 });
    expect(barChart([], { width: 100, height: 50 }).bars).toEqual([]);
  });
});

describe('barChart with a minimum top', () => {
  it('keeps whole-number ticks for small counts', () => {
    const { max, ticks } = barChart([{ day: '2026-03-01', value: 1 }], { width: 100, height: 40 }, 4, 4);
    expect(max).toBe(4);
    expect(ticks.map((t) => t.value)).toEqual([0, 1, 2, 3, 4]);
    expect(barChart([{ day: '2026-03-01', value: 47 }], { width: 100, height: 40 }, 4).ticks.map((t) => t.value)).toEqual([0, 20, 40, 60]);
  });
});

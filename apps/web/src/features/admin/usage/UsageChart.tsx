import { useId } from 'react';
import { barChart } from './chart-data';

const BOX = { width: 640, height: 140 };
const AXIS = 56;
const TOP = 8;
const BOTTOM = 22;

/** A daily bar chart in plain SVG, with the same numbers as a table for screen readers and copy-paste. */
export function UsageChart({
  title,
  points,
  format,
  minTop = 0,
}: {
  title: string;
  points: ReadonlyArray<{ day: string; value: number }>;
  format: (value: number) => string;
  /** The smallest top of the scale (see barChart). */
  minTop?: number;
}) {
  const id = useId();
  const { bars, ticks } = barChart(points, BOX, 4, minTop);
  const total = points.reduce((sum, p) => sum + p.value, 0);
  const first = points[0]?.day;
  const last = points[points.length - 1]?.day;
  const label = `${title}: ${format(total)} in total${first && last ? ` from ${first} to ${last}` : ''}.`;
  return (
    <figure className="usage-chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        <strong>{title}</strong> <span className="muted">· {format(total)} in total</span>
      </figcaption>
      <svg viewBox={`0 ${-TOP} ${BOX.width + AXIS} ${BOX.height + TOP + BOTTOM}`} role="img" aria-label={label} className="chart-svg">
        {ticks.map((t) => (
          <g key={t.value}>
            <line x1={AXIS} x2={AXIS + BOX.width} y1={t.y} y2={t.y} className="chart-grid" />
            <text x={AXIS - 6} y={t.y + 4} textAnchor="end" className="chart-label">
              {format(t.value)}
            </text>
          </g>
        ))}
        {bars.map((b) => (
          <rect
            key={b.day}
            x={AXIS + b.x}
            y={b.y}
            width={b.width}
            height={b.height}
            className="chart-bar"
            data-day={b.day}
            data-value={b.value}
          >
            <title>{`${b.day}: ${format(b.value)}`}</title>
          </rect>
        ))}
        {first && (
          <text x={AXIS} y={BOX.height + 16} className="chart-label">
            {first}
          </text>
        )}
        {last && last !== first && (
          <text x={AXIS + BOX.width} y={BOX.height + 16} textAnchor="end" className="chart-label">
            {last}
          </text>
        )}
      </svg>
      {total === 0 && <p className="muted small">No links were issued in this window.</p>}
      <details className="chart-table">
        <summary>Show the numbers</summary>
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">{title}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.day}>
                <td>{p.day}</td>
                <td>{format(p.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

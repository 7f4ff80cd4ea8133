import type { CostLine, Recommendation, TargetUsage, UsageResponse } from '@isola/contracts';
import { useState } from 'react';
import { formatBytes, formatDateTime } from '../../../lib/format';
import { useApiResource } from '../../../lib/useApiResource';
import { targetLocation } from '../../storage-status/RevokedBanner';
import { CopyButton } from '../common/CopyButton';
import { downloadText, toJsonFile } from '../common/download';
import { ErrorNote } from '../common/ErrorNote';
import { UsageChart } from './UsageChart';

const WINDOWS = [7, 30, 90] as const;

/** Dollars with cents, and more digits below a cent (storage of a few MB costs fractions of a cent). */
export function formatUsd(value: number): string {
  const digits = value !== 0 && Math.abs(value) < 0.01 ? 4 : 2;
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/** Prices per unit keep their precision ($0.023 per GiB-month, $0.0004 per 1,000 GETs). */
export function formatUnitPrice(value: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(
    value,
  );
}

const count = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1));

const UNITS: Record<CostLine['unit'], string> = { 'GiB-month': 'GiB-month', GiB: 'GiB', '1000 requests': '× 1,000 requests' };

const COST_ITEMS: Record<CostLine['item'], string> = {
  'storage.STANDARD': 'Storage (Standard)',
  'storage.STANDARD_IA': 'Storage (Infrequent Access)',
  egress: 'Data transfer out (links fetched once)',
  'requests.get': 'GET requests',
};

export function usagePath(days: number, iaAfterDays: string): string {
  const params = new URLSearchParams({ days: String(days) });
  if (iaAfterDays.trim() !== '') params.set('sourcesToIaAfterDays', iaAfterDays.trim());
  return `/tenant/usage?${params.toString()}`;
}

/** What the studio stores, what its links expose, what that costs a month, and how to pay less. */
export function UsagePage() {
  const [days, setDays] = useState<number>(30);
  const [iaDraft, setIaDraft] = useState('');
  const [iaAfterDays, setIaAfterDays] = useState('');
  const { state } = useApiResource<UsageResponse>(usagePath(days, iaAfterDays));

  return (
    <>
      <section className="card admin-section" aria-labelledby="usage-title">
        <div className="section-head">
          <div>
            <h2 id="usage-title">Usage and estimated cost</h2>
            <p className="muted">Your bucket’s bill is your own: this estimates it from what Isola stores and the links it issued.</p>
          </div>
          <form
            className="usage-controls"
            aria-label="Usage options"
            onSubmit={(e) => {
              e.preventDefault();
              setIaAfterDays(iaDraft);
            }}
          >
            <div className="field">
              <label htmlFor="usage-days">Link activity over</label>
              <select id="usage-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
                {WINDOWS.map((d) => (
                  <option key={d} value={d}>
                    the last {d} days
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="usage-ia">Sources move to IA after (days)</label>
              <input
                id="usage-ia"
                inputMode="numeric"
                value={iaDraft}
                onChange={(e) => setIaDraft(e.target.value)}
                placeholder="not applied"
              />
            </div>
            <button type="submit" className="button">
              Recalculate
            </button>
          </form>
        </div>
        {state.status === 'loading' && <p aria-busy="true">Counting…</p>}
        {state.status === 'error' && <ErrorNote error={state.error} prefix="Usage cannot be loaded" />}
        {state.status === 'loaded' && <UsageTotals usage={state.data} />}
      </section>
      {state.status === 'loaded' && <UsageDetails usage={state.data} />}
    </>
  );
}

function UsageTotals({ usage }: { usage: UsageResponse }) {
  const { totals, links, cost } = usage;
  return (
    <dl className="usage-totals" data-testid="usage-totals">
      <Total
        term="Stored"
        value={formatBytes(totals.stored.bytes)}
        detail={`in ${count(totals.stored.objects)} ${totals.stored.objects === 1 ? 'object' : 'objects'}`}
      />
      <Total term="Sources" value={formatBytes(totals.sources.bytes)} detail={`(${count(totals.sources.objects)})`} />
      <Total term="Renditions" value={formatBytes(totals.renditions.bytes)} detail={`(${count(totals.renditions.objects)})`} />
      <Total
        term={`Links issued (${usage.window.days} days)`}
        value={count(links.links)}
        detail={`for ${count(links.mints)} requests, exposing ${formatBytes(links.bytesExposed)}`}
      />
      <div className="usage-estimate">
        <dt>Estimated monthly cost</dt>
        <dd data-testid="usage-monthly">{formatUsd(cost.monthly)}</dd>
      </div>
    </dl>
  );
}

/** One row of the totals: the figure, then what it covers in muted text. */
function Total({ term, value, detail }: { term: string; value: string; detail: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>
        {value} <span className="muted">{detail}</span>
      </dd>
    </div>
  );
}

function UsageDetails({ usage }: { usage: UsageResponse }) {
  const mints = usage.links.daily.map((d) => ({ day: d.day, value: d.mints }));
  const bytes = usage.links.daily.map((d) => ({ day: d.day, value: d.bytesExposed }));
  return (
    <>
      <section className="card admin-section" aria-labelledby="usage-links-title">
        <h2 id="usage-links-title">Links per day</h2>
        <div className="usage-charts">
          <UsageChart title="Link requests" points={mints} format={count} minTop={4} />
          <UsageChart title="Bytes exposed" points={bytes} format={formatBytes} minTop={1024} />
        </div>
      </section>

      <section className="card admin-section" aria-labelledby="usage-cost-title">
        <h2 id="usage-cost-title">Monthly estimate</h2>
        <table className="admin-table">
          <HeadRow label="Item" figures={['Quantity', 'Unit price', 'Per month']} />
          <tbody>
            {usage.cost.lines.map((line) => (
              <tr key={line.item} data-testid="cost-line">
                <td>{COST_ITEMS[line.item] ?? line.item}</td>
                <td className="num">
                  {line.quantity.toLocaleString('en-US', { maximumFractionDigits: 3 })} {UNITS[line.unit] ?? line.unit}
                </td>
                <td className="num">{formatUnitPrice(line.unitPrice)}</td>
                <td className="num">{formatUsd(line.monthly)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                Estimated total
              </th>
              <td className="num">
                <strong>{formatUsd(usage.cost.monthly)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
        {usage.cost.assumptions.length > 0 && (
          <ul className="muted small assumptions">
            {usage.cost.assumptions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        )}
        <p className="muted small">Generated {formatDateTime(usage.generatedAt)}.</p>
      </section>

      <section className="card admin-section" aria-labelledby="usage-targets-title">
        <h2 id="usage-targets-title">Per storage target</h2>
        <TargetUsageTable targets={usage.targets} />
      </section>

      <section className="card admin-section" aria-labelledby="usage-recommendations-title">
        <h2 id="usage-recommendations-title">Recommendations</h2>
        {usage.recommendations.length === 0 ? (
          <p className="muted">Nothing to change: your storage is already set up to cost as little as it can.</p>
        ) : (
          <ul className="recommendations">
            {usage.recommendations.map((r) => (
              <RecommendationItem key={`${r.id}-${r.targetId}`} recommendation={r} targets={usage.targets} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** A table's header row: the first column names the row, the others hold figures (right-aligned). */
function HeadRow({ label, figures }: { label: string; figures: readonly string[] }) {
  return (
    <thead>
      <tr>
        <th scope="col">{label}</th>
        {figures.map((figure) => (
          <th key={figure} scope="col" className="num">
            {figure}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function TargetUsageTable({ targets }: { targets: TargetUsage[] }) {
  if (targets.length === 0) return <p className="muted">Nothing stored yet.</p>;
  return (
    <table className="admin-table">
      <HeadRow label="Target" figures={['Sources', 'Renditions', 'Standard', 'Infrequent Access', 'Abandoned uploads']} />
      <tbody>
        {targets.map((t) => (
          <tr key={t.targetId} data-testid="target-usage">
            <td>
              <span className="mono">{targetLocation(t)}</span>{' '}
              <span className="muted small">{t.mode === 'hosted' ? 'hosted' : 'own bucket'}</span>
              {t.active && <span className="badge badge-accent">Active</span>}
            </td>
            <td className="num">
              {formatBytes(t.sources.bytes)} ({count(t.sources.objects)})
            </td>
            <td className="num">
              {formatBytes(t.renditions.bytes)} ({count(t.renditions.objects)})
            </td>
            <td className="num">{formatBytes(t.byStorageClass.STANDARD?.bytes ?? 0)}</td>
            <td className="num">{formatBytes(t.byStorageClass.STANDARD_IA?.bytes ?? 0)}</td>
            <td className="num">
              {t.staleMultipartUploads.objects > 0
                ? `${count(t.staleMultipartUploads.objects)} (${formatBytes(t.staleMultipartUploads.bytes)})`
                : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RecommendationItem({ recommendation: r, targets }: { recommendation: Recommendation; targets: TargetUsage[] }) {
  const target = targets.find((t) => t.targetId === r.targetId);
  const json = toJsonFile(r.lifecycleConfiguration);
  const filename = `isola-lifecycle-${r.id}.json`;
  return (
    <li className="recommendation" data-testid="recommendation" data-recommendation={r.id}>
      <h3>{r.title}</h3>
      <p>
        {r.why}
        {r.monthlySaving > 0 && <strong> Saves about {formatUsd(r.monthlySaving)} a month.</strong>}
      </p>
      {target && (
        <p className="muted small">
          Bucket: <span className="mono">{targetLocation(target)}</span>
        </p>
      )}
      <div className="document-actions">
        <CopyButton text={json} what={`lifecycle configuration for ${r.title}`} label="Copy lifecycle JSON" />
        <button type="button" className="button button-small" onClick={() => downloadText(filename, json, 'application/json')}>
          Download
        </button>
      </div>
      <pre className="code-block" tabIndex={0} aria-label={`Lifecycle configuration: ${r.title}`}>
        {json}
      </pre>
    </li>
  );
}

import { useEffect, useState } from 'react';
import type { HealthResponse } from '@isola/contracts';
import { apiGet } from '../../lib/api';

// The health check answers 503 with its report when a dependency is down.
const loadHealth = () => apiGet<HealthResponse>('/health', { acceptStatuses: [503] });

type State = { kind: 'loading' } | { kind: 'loaded'; health: HealthResponse } | { kind: 'error'; message: string };

const LABELS: Record<keyof HealthResponse['checks'], string> = {
  database: 'Database',
  redis: 'Job queue',
  s3: 'Object storage (S3)',
  sts: 'Credential service (STS)',
};

/** The platform's dependencies as the API sees them (GET /api/health). */
export function SystemStatus({ load = loadHealth }: { load?: () => Promise<HealthResponse> }) {
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    load().then(
      (health) => live && setState({ kind: 'loaded', health }),
      (error: Error) => live && setState({ kind: 'error', message: error.message }),
    );
    return () => {
      live = false;
    };
  }, [load]);

  if (state.kind === 'loading') return <p aria-busy="true">Checking the platform…</p>;
  if (state.kind === 'error') return <p role="alert">The API cannot be reached: {state.message}</p>;
  const { health } = state;
  return (
    <section aria-labelledby="status-heading" className="card">
      <h2 id="status-heading">Platform status: {health.status === 'ok' ? 'all systems up' : 'degraded'}</h2>
      <ul className="status-list">
        {(Object.keys(LABELS) as Array<keyof typeof LABELS>).map((key) => {
          // an older or newer API may not report every dependency: say so rather than fail
          const check = health.checks?.[key] as HealthResponse['checks'][typeof key] | undefined;
          return (
            <li key={key} data-status={check?.status ?? 'unknown'}>
              <span className="dot" aria-hidden="true" />
              <span>{LABELS[key]}</span>
              <span className="muted">
                {check === undefined ? 'not reported' : check.status === 'up' ? `up · ${check.latencyMs} ms` : (check.error ?? 'down')}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

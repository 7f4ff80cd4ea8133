import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { HealthResponse } from '@isola/contracts';
import { SystemStatus } from './SystemStatus';

const up = { status: 'up', latencyMs: 3 } as const;

describe('SystemStatus', () => {
  it('lists each dependency and says when all are up', async () => {
    const health: HealthResponse = { status: 'ok', version: '0.1.0', checks: { database: up, redis: up, s3: up, sts: up } };
    render(<SystemStatus load={() => Promise.resolve(health)} />);
    expect(await screen.findByRole('heading', { name: 'Platform status: all systems up' })).toBeTruthy();
    expect(screen.getAllByRole('listitem')).toHaveLength(4);
  });

  it('shows the reason of a dependency that is down', async () => {
    const health: HealthResponse = {
      status: 'degraded',
      version: '0.1.0',
      checks: { database: up, redis: up, s3: { status: 'down', latencyMs: 1, error: 'S3 endpoint refused' }, sts: up },
    };
    render(<SystemStatus load={() => Promise.resolve(health)} />);
    expect(await screen.findByText('S3 endpoint refused')).toBeTruthy();
    expect(screen.getByRole('heading').textContent).toContain('degraded');
  });

  it('marks a dependency the API did not report instead of failing', async () => {
    const partial = { status: 'ok', version: '0.1.0', checks: { database: up } } as unknown as HealthResponse;
    render(<SystemStatus load={() => Promise.resolve(partial)} />);
    expect((await screen.findAllByText('not reported')).length).toBe(3);
  });

  it('says when the API cannot be reached', async () => {
    render(<SystemStatus load={() => Promise.reject(new Error('connection refused'))} />);
    expect((await screen.findByRole('alert')).textContent).toContain('connection refused');
  });
});

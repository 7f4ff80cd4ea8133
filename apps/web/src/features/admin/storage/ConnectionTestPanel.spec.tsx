import type { VerifyTargetResponse } from '@isola/contracts';
import { fireEvent, screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { aSetupKit, aStep, aTarget } from '../../../test/admin-fixtures';
import { aMe } from '../../../test/fixtures';
import { mockApi } from '../../../test/mock-api';
import { renderApp } from '../../../test/render';
import { readLastCheck } from './last-check';

function stepsShown() {
  return screen.getAllByTestId('test-step').map((li) => ({
    id: li.getAttribute('data-step'),
    outcome: li.querySelector('.step-outcome')?.textContent,
    detail: li.querySelector('.step-detail')?.textContent,
    hint: li.querySelector('.step-hint')?.textContent ?? null,
  }));
}

describe('connection test', () => {
  // The admin console is a lazy chunk: load it once up front so no test waits for the import.
  beforeAll(() => import('../../../routes/AdminPage'));

  it('runs the test and shows every step with its outcome, detail and fix hint', async () => {
    const target = aTarget();
    const answer: VerifyTargetResponse = {
      targetId: target.id,
      status: 'pending',
      ok: false,
      ranAt: '2026-03-02T09:00:00.000Z',
      steps: [
        aStep('assume-role', 'pass'),
        aStep('external-id-guard', 'warn', { hint: 'Add the sts:ExternalId condition.' }),
        aStep('bucket', 'fail', { detail: 'The bucket is in eu-west-1.', hint: 'Set the region to eu-west-1.' }),
        aStep('object-roundtrip', 'skipped'),
      ],
    };
    const api = mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/tenant/storage/targets', { body: { items: [target] } })
      .on('GET', `/api/tenant/storage/targets/${target.id}/setup-kit`, { body: aSetupKit(target.id) })
      .on('POST', `/api/tenant/storage/targets/${target.id}/verify`, { body: answer });
    renderApp(`/admin/storage/${target.id}`);

    expect(await screen.findByText('The test has not run on this target yet.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Run the connection test' }));
    expect(await screen.findByText('The target does not work with Isola yet')).toBeTruthy();
    expect(api.callsTo('POST', `/api/tenant/storage/targets/${target.id}/verify`)).toHaveLength(1);
    expect(stepsShown()).toEqual([
      { id: 'assume-role', outcome: 'Passed', detail: 'Detail of assume-role', hint: null },
      {
        id: 'external-id-guard',
        outcome: 'Warning',
        detail: 'Detail of external-id-guard',
        hint: 'How to fix: Add the sts:ExternalId condition.',
      },
      { id: 'bucket', outcome: 'Failed', detail: 'The bucket is in eu-west-1.', hint: 'How to fix: Set the region to eu-west-1.' },
      { id: 'object-roundtrip', outcome: 'Skipped', detail: 'Detail of object-roundtrip', hint: null },
    ]);
    // The summary is a live region: screen readers hear the verdict.
    const summary = screen.getByText('The target does not work with Isola yet').closest('[role="status"]');
    expect(summary?.textContent).toContain('1 passed, 1 warning, 1 failed, 1 skipped');
  });

  it('shows the last stored result, and tells a revocation re-check apart from a connection test', async () => {
    const tested = aTarget({
      status: 'verified',
      lastCheckAt: '2026-03-01T12:00:00.000Z',
      lastCheckResult: { ok: true, ranAt: '2026-03-01T12:00:00.000Z', steps: [aStep('assume-role', 'pass'), aStep('tls-only', 'warn')] },
    });
    mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/tenant/storage/targets', { body: { items: [tested] } })
      .on('GET', `/api/tenant/storage/targets/${tested.id}/setup-kit`, { body: aSetupKit(tested.id) });
    renderApp(`/admin/storage/${tested.id}`);
    const section = within((await screen.findByRole('heading', { name: 'Connection test' })).closest('section')!);
    expect(await section.findByText('The target works with Isola')).toBeTruthy();
    expect(stepsShown().map((s) => s.outcome)).toEqual(['Passed', 'Warning']);
    expect(section.getByRole('button', { name: 'Run the test again' })).toBeTruthy();

    expect(
      readLastCheck({
        lastCheckResult: {
          kind: 'revocation',
          ok: false,
          at: '2026-03-01T12:00:00.000Z',
          reason: 'AssumeRole refused (HTTP 403)',
          source: 'api',
        },
      }),
    ).toEqual({
      kind: 'revocation',
      check: { ok: false, at: '2026-03-01T12:00:00.000Z', reason: 'AssumeRole refused (HTTP 403)', by: 'api' },
    });
    expect(readLastCheck({ lastCheckResult: { steps: [{ id: 'x' }] } })).toEqual({ kind: 'none' });
    expect(readLastCheck({ lastCheckResult: null })).toEqual({ kind: 'none' });
  });

  it('says why the test could not run (a test already running)', async () => {
    const target = aTarget();
    mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/tenant/storage/targets', { body: { items: [target] } })
      .on('GET', `/api/tenant/storage/targets/${target.id}/setup-kit`, { body: aSetupKit(target.id) })
      .on('POST', `/api/tenant/storage/targets/${target.id}/verify`, {
        status: 409,
        body: { code: 'CONNECTION_TEST_IN_PROGRESS', message: 'A connection test of this target is already running.' },
      });
    renderApp(`/admin/storage/${target.id}`);
    fireEvent.click(await screen.findByRole('button', { name: 'Run the connection test' }));
    const alert = await screen.findByText(/A connection test of this target is already running/);
    expect(alert.closest('[role="alert"]')?.getAttribute('data-code')).toBe('CONNECTION_TEST_IN_PROGRESS');
  });
});

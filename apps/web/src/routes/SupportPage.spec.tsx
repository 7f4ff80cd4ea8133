import type { SupportTenantDto } from '@isola/contracts';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { aMe, uuid } from '../test/fixtures';
import { mockApi } from '../test/mock-api';
import { renderApp } from '../test/render';

function aTenant(overrides: Partial<SupportTenantDto> = {}): SupportTenantDto {
  return {
    id: uuid(),
    slug: 'aurora',
    name: 'Aurora Pictures',
    createdAt: '2026-01-01T00:00:00.000Z',
    storageMode: 'isolated',
    activeTarget: {
      id: uuid(),
      mode: 'isolated',
      provider: 's3_compatible',
      region: 'us-east-1',
      status: 'active',
      lastCheckAt: null,
      revokedAt: null,
    },
    targetCounts: { active: 1 },
    supportAccess: { allowed: false, until: null },
    ...overrides,
  };
}

const staff = () =>
  aMe({ tenant: null, role: null, staffRole: 'support', user: { id: uuid(), email: 'support@isola.test', displayName: 'Sam' } });
const health = { status: 'ok', checks: {} };

describe('SupportPage', () => {
  it('lists the studios with their storage, and offers no way into their media', async () => {
    const api = mockApi()
      .on('GET', '/api/auth/me', { body: staff() })
      .on('GET', '/api/health', { body: health })
      .on('GET', '/api/support/tenants', {
        body: {
          items: [
            aTenant(),
            aTenant({
              slug: 'harbor',
              name: 'Harbor Post',
              storageMode: 'hosted',
              activeTarget: { ...aTenant().activeTarget!, mode: 'hosted', status: 'revoked', revokedAt: '2026-02-01T00:00:00.000Z' },
              supportAccess: { allowed: true, until: '2026-03-01T12:00:00.000Z' },
            }),
          ],
          nextCursor: null,
        },
      });
    renderApp('/support');
    const rows = await screen.findAllByTestId('support-tenant');
    expect(rows.map((r) => r.getAttribute('data-slug'))).toEqual(['aurora', 'harbor']);
    const [aurora, harbor] = rows as [HTMLElement, HTMLElement];
    expect(within(aurora).getByText('Own bucket')).toBeTruthy();
    expect(within(aurora).getByText('Not reachable: the studio’s own bucket')).toBeTruthy();
    expect(within(harbor).getByText('Hosted')).toBeTruthy();
    expect(within(harbor).getByText('Access revoked')).toBeTruthy();
    expect(within(harbor).getByText(/^Granted until/)).toBeTruthy();
    // nothing in the table leads anywhere
    expect(within(screen.getByRole('table')).queryAllByRole('link')).toEqual([]);
    expect(within(screen.getByRole('table')).queryAllByRole('button')).toEqual([]);
    expect(api.callsTo('GET', '/api/support/tenants')[0]?.url.searchParams.get('limit')).toBe('50');
  });

  it('says when the studios cannot be loaded', async () => {
    mockApi()
      .on('GET', '/api/auth/me', { body: staff() })
      .on('GET', '/api/health', { body: health })
      .on('GET', '/api/support/tenants', { status: 503, body: { code: 'UNAVAILABLE', message: 'Try later.' } });
    renderApp('/support');
    expect((await screen.findByText(/The studios cannot be loaded/)).textContent).toContain('Try later.');
  });
});

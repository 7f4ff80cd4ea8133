import type { TargetRecheckResponse } from '@isola/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { aHostedTarget, aTarget } from '../../test/admin-fixtures';
import { aMe, aMember } from '../../test/fixtures';
import { mockApi } from '../../test/mock-api';
import { renderApp } from '../../test/render';

const emptyPage = { body: { items: [], nextCursor: null } };

describe('revoked banner', () => {
  it('tells a studio admin on any page that access was revoked, that nothing is lost, and what to do', async () => {
    const revoked = aTarget({ status: 'revoked', active: true, revokedAt: '2026-03-02T08:00:00.000Z', bucket: 'northwind-media' });
    mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/media', emptyPage)
      .on('GET', '/api/tenant/storage/targets', { body: { items: [aHostedTarget({ active: false, status: 'retired' }), revoked] } });
    renderApp('/');
    const banner = within(await screen.findByTestId('revoked-banner'));
    expect(banner.getByRole('heading', { name: 'Isola has lost access to your studio’s bucket' })).toBeTruthy();
    expect(banner.getByText('northwind-media')).toBeTruthy();
    expect(banner.getByText('Nothing is lost.')).toBeTruthy();
    expect(banner.getByText('What to do:')).toBeTruthy();
    expect(banner.getByRole('link', { name: 'Open its setup kit' }).getAttribute('href')).toBe(`/admin/storage/${revoked.id}`);
    expect(banner.getByRole('button', { name: 'Check now' })).toBeTruthy();
    // The storage badge still names the mode of the target uploads go to.
    expect(screen.getByText('Own bucket')).toBeTruthy();
  });

  it('"Check now" asks the API to re-check, says what it found, and hides the banner once access is back', async () => {
    const revoked = aTarget({ status: 'revoked', active: true, revokedAt: '2026-03-02T08:00:00.000Z' });
    let restored = false;
    const answer: TargetRecheckResponse = {
      targetId: revoked.id,
      outcome: 'restored',
      status: 'active',
      nextCheckAt: null,
      message: 'Isola can reach the bucket again: the target is back in service.',
    };
    const api = mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/media', emptyPage)
      .on('GET', '/api/tenant/storage/targets', () => ({
        body: { items: [restored ? { ...revoked, status: 'active', revokedAt: null } : revoked] },
      }))
      .on('POST', `/api/tenant/storage/targets/${revoked.id}/recheck`, () => {
        restored = true;
        return { body: answer };
      });
    renderApp('/');
    const banner = await screen.findByTestId('revoked-banner');
    fireEvent.click(within(banner).getByRole('button', { name: 'Check now' }));
    expect(await within(banner).findByText(answer.message)).toBeTruthy();
    expect(within(banner).getByRole('status').textContent).toBe(answer.message);
    await waitFor(() => expect(screen.queryByTestId('revoked-banner')).toBeNull());
    expect(api.callsTo('POST', `/api/tenant/storage/targets/${revoked.id}/recheck`)).toHaveLength(1);
  });

  it('shows no banner when every target is reachable, and never asks for members', async () => {
    const api = mockApi()
      .on('GET', '/api/auth/me', { body: aMember() })
      .on('GET', '/api/media', emptyPage)
      .on('GET', '/api/tenant/storage/targets', { body: { items: [aTarget({ status: 'revoked' })] } });
    renderApp('/');
    await screen.findByRole('heading', { name: 'Library' });
    expect(screen.queryByTestId('revoked-banner')).toBeNull();
    expect(api.callsTo('GET', '/api/tenant/storage/targets')).toHaveLength(0);
  });
});

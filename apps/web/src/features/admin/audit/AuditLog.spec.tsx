import type { AuditEventDto } from '@isola/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { aMe, uuid } from '../../../test/fixtures';
import { mockApi } from '../../../test/mock-api';
import { renderApp } from '../../../test/render';
import { localDayStart } from './audit-query';

function anEvent(overrides: Partial<AuditEventDto> = {}): AuditEventDto {
  return {
    id: uuid(),
    createdAt: '2026-03-01T10:00:00.000Z',
    action: 'media.link',
    actorKind: 'user',
    actor: { id: uuid(), email: 'max@northwind.test' },
    purpose: 'link',
    sessionName: 'isola-link-1',
    storageTargetId: null,
    objectKeys: ['media/1/source', 'media/1/proxy.mp4'],
    expiresAt: '2026-03-01T10:15:00.000Z',
    ip: '127.0.0.1',
    userAgent: null,
    details: null,
    correlationId: null,
    ...overrides,
  };
}

describe('audit log', () => {
  beforeAll(() => import('../../../routes/AdminPage'));

  it('filters, pages with the cursor, and exports with the same filters', async () => {
    const api = mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/tenant/storage/targets', { body: { items: [] } })
      .on('GET', '/api/tenant/audit', (call) =>
        call.url.searchParams.get('cursor') === 'c2'
          ? { body: { items: [anEvent({ action: 'upload.create' })], nextCursor: null } }
          : { body: { items: [anEvent()], nextCursor: 'c2' } },
      );
    renderApp('/admin/audit');
    expect((await screen.findAllByTestId('audit-row'))[0]!.textContent).toContain('media/1/source +1');

    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'media.' } });
    fireEvent.change(screen.getByLabelText('Purpose'), { target: { value: 'link' } });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-03-01' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-03-02' } });
    fireEvent.change(screen.getByLabelText('Object key contains'), { target: { value: 'media/1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(api.callsTo('GET', '/api/tenant/audit')).toHaveLength(2));
    const query = api.callsTo('GET', '/api/tenant/audit')[1]!.url.searchParams;
    expect(Object.fromEntries(query)).toEqual({
      action: 'media.',
      purpose: 'link',
      from: localDayStart('2026-03-01'),
      to: localDayStart('2026-03-03'),
      q: 'media/1',
      limit: '50',
    });
    const csv = new URL(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href')!, 'http://localhost');
    expect(csv.pathname).toBe('/api/tenant/audit/export');
    expect(csv.searchParams.get('format')).toBe('csv');
    expect(csv.searchParams.get('action')).toBe('media.');
    expect(csv.searchParams.get('q')).toBe('media/1');
    expect(
      new URL(screen.getByRole('link', { name: 'Export JSON' }).getAttribute('href')!, 'http://localhost').searchParams.get('format'),
    ).toBe('json');

    fireEvent.click(await screen.findByRole('button', { name: 'Older' }));
    expect((await screen.findByText('upload.create')).tagName).toBe('TD');
    expect(api.callsTo('GET', '/api/tenant/audit').at(-1)!.url.searchParams.get('cursor')).toBe('c2');
    expect((screen.getByRole('button', { name: 'Older' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Newer' }));
    expect(await screen.findByText('media.link')).toBeTruthy();
  });
});

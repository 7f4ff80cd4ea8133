import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { aHostedTarget, aMigration, aSetupKit, aTarget } from '../../../test/admin-fixtures';
import { aMe } from '../../../test/fixtures';
import { mockApi } from '../../../test/mock-api';
import { renderApp } from '../../../test/render';
import { MigrationProgress } from './MigrationProgress';

describe('migration progress', () => {
  // The admin console is a lazy chunk: load it once up front so no test waits for the import.
  beforeAll(() => import('../../../routes/AdminPage'));

  it('polls while the migration runs, then shows the done state and stops asking', async () => {
    const running = aMigration({ status: 'running', percent: 40 });
    const done = aMigration({
      ...running,
      status: 'completed',
      percent: 100,
      copiedObjects: 10,
      copiedBytes: 10_485_760,
      items: { pending: 0, switched: 5, failed: 0, skipped: 0 },
      finishedAt: '2026-03-01T10:01:00.000Z',
      deleteSourcesAfter: '2026-03-08T10:01:00.000Z',
    });
    let calls = 0;
    const api = mockApi().on('GET', `/api/tenant/migrations/${running.id}`, () => ({ body: ++calls < 3 ? running : done }));
    render(<MigrationProgress id={running.id} pollMs={5} />);

    expect((await screen.findByTestId('migration-percent')).textContent).toBe('40%');
    expect(screen.getByText('Migration in progress')).toBeTruthy();
    expect(screen.getByText('4 of 10')).toBeTruthy();
    expect(screen.getByText('4.0 MB of 10 MB')).toBeTruthy();

    expect(await screen.findByText('Migration complete')).toBeTruthy();
    expect(screen.getByTestId('migration-percent').textContent).toBe('100%');
    expect(screen.getByRole('progressbar', { name: 'Migration progress' }).getAttribute('value')).toBe('100');
    expect(screen.getByText('10 of 10')).toBeTruthy();
    expect(screen.getByText(/old copies are deleted after the grace period/)).toBeTruthy();
    // (a request already on its way when the answer arrived may still land; after that, nothing)
    await new Promise((resolve) => setTimeout(resolve, 30));
    const settled = api.callsTo('GET', `/api/tenant/migrations/${running.id}`).length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(api.callsTo('GET', `/api/tenant/migrations/${running.id}`)).toHaveLength(settled);
  });

  it('lists the media that could not be moved', async () => {
    const failed = aMigration({
      status: 'failed',
      percent: 80,
      failedObjects: 2,
      items: { pending: 0, switched: 4, failed: 1, skipped: 0 },
      lastError: 'checksum mismatch',
      failedItems: [
        { mediaId: 'b3a3c3d4-0000-4000-8000-000000000001', filename: 'shot-042.mov', attempts: 5, lastError: 'checksum mismatch' },
      ],
    });
    mockApi().on('GET', `/api/tenant/migrations/${failed.id}`, { body: failed });
    render(<MigrationProgress id={failed.id} pollMs={5} />);
    expect(await screen.findByText('Migration stopped with failures')).toBeTruthy();
    const table = within(screen.getByRole('table'));
    expect(table.getByText('shot-042.mov')).toBeTruthy();
    expect(table.getByText('5')).toBeTruthy();
    expect(screen.getByText('2 objects (1 media)')).toBeTruthy();
  });

  it('activates a verified target after a confirmation that explains the migration, then follows it', async () => {
    const hosted = aHostedTarget();
    const target = aTarget({ status: 'verified' });
    const migration = aMigration({
      status: 'completed',
      percent: 100,
      from: { ...hosted, status: 'active' },
      to: { ...target, status: 'active' },
    });
    const api = mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/tenant/storage/targets', { body: { items: [hosted, target] } })
      .on('GET', `/api/tenant/storage/targets/${target.id}/setup-kit`, { body: aSetupKit(target.id) })
      .on('POST', `/api/tenant/storage/targets/${target.id}/activate`, { body: { target: { ...target, status: 'active' }, migration } })
      .on('GET', `/api/tenant/migrations/${migration.id}`, { body: migration });
    renderApp(`/admin/storage/${target.id}`);

    const open = await screen.findByRole('button', { name: 'Activate this target' });
    open.focus();
    fireEvent.click(open);
    const dialog = await screen.findByRole('dialog', { name: 'Activate northwind-media?' });
    expect(dialog.textContent).toContain('Isola then moves every media already stored in isola-hosted/tenants/northwind');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(open);
    expect(api.callsTo('POST', `/api/tenant/storage/targets/${target.id}/activate`)).toHaveLength(0);

    fireEvent.click(open);
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Activate this target' }));
    expect(await screen.findByText('Migration complete')).toBeTruthy();
    expect(api.callsTo('POST', `/api/tenant/storage/targets/${target.id}/activate`)).toHaveLength(1);
  });

  it('keeps an unverified target from being activated, and shows the API’s refusal', async () => {
    const target = aTarget({ status: 'pending' });
    mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/tenant/storage/targets', { body: { items: [aHostedTarget(), target] } })
      .on('GET', `/api/tenant/storage/targets/${target.id}/setup-kit`, { body: aSetupKit(target.id) });
    renderApp(`/admin/storage/${target.id}`);
    const button = await screen.findByRole('button', { name: 'Activate this target' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Run the connection test first/)).toBeTruthy();
  });
});

import type { UsageResponse } from '@isola/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { aMe, uuid } from '../../../test/fixtures';
import { mockApi } from '../../../test/mock-api';
import { renderApp } from '../../../test/render';

function aUsage(): UsageResponse {
  const targetId = uuid();
  const zero = { objects: 0, bytes: 0 };
  const lifecycle = { Rules: [{ ID: 'isola-sources-to-ia', Status: 'Enabled', Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }] }] };
  return {
    generatedAt: '2026-03-03T00:00:00.000Z',
    window: { days: 30, from: '2026-02-01T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' },
    totals: {
      sources: { objects: 3, bytes: 3_145_728 },
      renditions: { objects: 6, bytes: 1_048_576 },
      stored: { objects: 9, bytes: 4_194_304 },
    },
    targets: [
      {
        targetId,
        mode: 'isolated',
        bucket: 'northwind-media',
        prefix: '',
        status: 'active',
        active: true,
        sources: { objects: 3, bytes: 3_145_728 },
        renditions: { objects: 6, bytes: 1_048_576, byKind: {} },
        byStorageClass: { STANDARD: { objects: 9, bytes: 4_194_304 }, STANDARD_IA: zero },
        staleMultipartUploads: zero,
      },
    ],
    links: {
      mints: 7,
      links: 21,
      bytesExposed: 9_437_184,
      daily: [
        { day: '2026-03-01', mints: 2, bytesExposed: 1_048_576 },
        { day: '2026-03-02', mints: 0, bytesExposed: 0 },
        { day: '2026-03-03', mints: 5, bytesExposed: 8_388_608 },
      ],
    },
    cost: {
      currency: 'USD',
      lines: [
        { item: 'storage.STANDARD', quantity: 0.004, unit: 'GiB-month', unitPrice: 0.023, monthly: 0.0001 },
        { item: 'egress', quantity: 0.0088, unit: 'GiB', unitPrice: 0.09, monthly: 0.0008 },
      ],
      monthly: 0.0009,
      assumptions: ['Every link is fetched once.'],
    },
    recommendations: [
      {
        id: 'sources-to-infrequent-access',
        targetId,
        title: 'Move sources to Infrequent Access after 30 days',
        why: 'Sources are rarely read once renditions exist.',
        monthlySaving: 0.02,
        lifecycleConfiguration: lifecycle,
      },
    ],
  };
}

describe('usage', () => {
  beforeAll(() => import('../../../routes/AdminPage'));

  it('shows the totals, a bar per day for link mints and bytes, the cost lines and the monthly estimate', async () => {
    const usage = aUsage();
    const api = mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/tenant/storage/targets', { body: { items: [] } })
      .on('GET', '/api/tenant/usage', { body: usage });
    renderApp('/admin/usage');
    expect((await screen.findByTestId('usage-monthly')).textContent).toBe('$0.0009');
    expect(screen.getByTestId('usage-totals').textContent).toBe(
      'Stored4.0 MB in 9 objects' +
        'Sources3.0 MB (3)' +
        'Renditions1.0 MB (6)' +
        'Links issued (30 days)21 for 7 requests, exposing 9.0 MB' +
        'Estimated monthly cost$0.0009',
    );

    const mints = screen.getByRole('img', { name: /^Link requests: 7 in total from 2026-03-01 to 2026-03-03/ });
    expect([...mints.querySelectorAll('rect')].map((r) => [r.getAttribute('data-day'), r.getAttribute('data-value')])).toEqual([
      ['2026-03-01', '2'],
      ['2026-03-02', '0'],
      ['2026-03-03', '5'],
    ]);
    const bytes = screen.getByRole('img', { name: /^Bytes exposed: 9.0 MB in total/ });
    expect(bytes.querySelectorAll('rect')).toHaveLength(3);
    const [costTable, targetTable] = screen.getAllByRole('table').filter((t) => !t.closest('details'));
    expect(
      within(costTable!)
        .getAllByRole('columnheader')
        .map((th) => [th.textContent, th.className]),
    ).toEqual([
      ['Item', ''],
      ['Quantity', 'num'],
      ['Unit price', 'num'],
      ['Per month', 'num'],
    ]);
    expect(
      within(targetTable!)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Target', 'Sources', 'Renditions', 'Standard', 'Infrequent Access', 'Abandoned uploads']);
    expect(screen.getAllByTestId('cost-line').map((row) => row.textContent)).toEqual([
      'Storage (Standard)0.004 GiB-month$0.023$0.0001',
      'Data transfer out (links fetched once)0.009 GiB$0.09$0.0008',
    ]);
    expect(api.callsTo('GET', '/api/tenant/usage')[0]?.url.searchParams.get('days')).toBe('30');

    fireEvent.change(screen.getByLabelText('Link activity over'), { target: { value: '7' } });
    await waitFor(() => expect(api.callsTo('GET', '/api/tenant/usage').at(-1)?.url.searchParams.get('days')).toBe('7'));
  });

  it('offers each recommendation’s lifecycle JSON with a copy button', async () => {
    const usage = aUsage();
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/tenant/storage/targets', { body: { items: [] } })
      .on('GET', '/api/tenant/usage', { body: usage });
    renderApp('/admin/usage');
    const item = within(await screen.findByTestId('recommendation'));
    expect(item.getByText('Saves about $0.02 a month.')).toBeTruthy();
    fireEvent.click(item.getByRole('button', { name: /^Copy lifecycle JSON/ }));
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(1));
    expect(JSON.parse(writeText.mock.calls[0]![0] as string)).toEqual(usage.recommendations[0]!.lifecycleConfiguration);
  });
});

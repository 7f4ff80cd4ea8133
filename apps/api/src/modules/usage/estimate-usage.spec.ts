import { DEFAULT_PRICE_TABLE, usageResponseSchema } from '@isola/contracts';
import { estimateUsage, type TargetFacts, type UsageInput } from './estimate-usage.js';

const GIB = 1024 ** 3;
const NOW = new Date('2026-11-30T12:00:00Z');

function target(overrides: Partial<TargetFacts> = {}): TargetFacts {
  return {
    targetId: '11111111-1111-4111-8111-111111111111',
    mode: 'isolated',
    bucket: 'studio-bucket',
    prefix: 'studio',
    status: 'active',
    active: true,
    sources: { objects: 10, bytes: 100 * GIB },
    sourcesEligibleForIa: { objects: 4, bytes: 40 * GIB },
    renditionsByKind: { thumbnail: { objects: 10, bytes: 0.001 * GIB }, proxy: { objects: 10, bytes: 10 * GIB } },
    staleMultipartUploads: { objects: 0, bytes: 0 },
    ...overrides,
  };
}

function input(overrides: Partial<UsageInput> = {}): UsageInput {
  return {
    now: NOW,
    days: 30,
    sourcesToIaAfterDays: undefined,
    recommendIaAfterDays: 30,
    targets: [target()],
    links: { daily: [] },
    prices: DEFAULT_PRICE_TABLE,
    lifecycleFor: (_t, days) => ({
      Rules: [
        {
          ID: days === undefined ? 'abort-only' : `ia-after-${days}`,
          Status: 'Enabled',
          Filter: { Prefix: '' },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ],
    }),
    ...overrides,
  };
}

describe('estimateUsage', () => {
  it('totals sources and renditions, all STANDARD when no IA rule is applied, and prices them per GiB-month', () => {
    const report = estimateUsage(input());
    expect(usageResponseSchema.parse(report)).toEqual(report);
    expect(report.totals.sources).toEqual({ objects: 10, bytes: 100 * GIB });
    expect(report.totals.renditions.objects).toBe(20);
    expect(report.targets[0]!.byStorageClass.STANDARD_IA).toEqual({ objects: 0, bytes: 0 });
    const standard = report.cost.lines.find((l) => l.item === 'storage.STANDARD')!;
    expect(standard.quantity).toBeCloseTo(110.001, 3);
    expect(standard.monthly).toBeCloseTo(110.001 * 0.023, 3);
  });

  it('counts eligible sources as STANDARD_IA when the studio applied the rule, and stops recommending it', () => {
    const report = estimateUsage(input({ sourcesToIaAfterDays: 30 }));
    expect(report.targets[0]!.byStorageClass.STANDARD_IA).toEqual({ objects: 4, bytes: 40 * GIB });
    expect(report.targets[0]!.byStorageClass.STANDARD.bytes).toBeCloseTo(70.001 * GIB, 0);
    expect(report.recommendations.map((r) => r.id)).not.toContain('sources-to-infrequent-access');
    const ia = report.cost.lines.find((l) => l.item === 'storage.STANDARD_IA')!;
    expect(ia.monthly).toBeCloseTo(40 * 0.0125, 4);
  });

  it('recommends the IA transition with the saving and the lifecycle JSON for the target', () => {
    const [rec] = estimateUsage(input()).recommendations;
    expect(rec).toMatchObject({ id: 'sources-to-infrequent-access', lifecycleConfiguration: { Rules: [{ ID: 'ia-after-30' }] } });
    expect(rec!.monthlySaving).toBeCloseTo(40 * (0.023 - 0.0125), 4);
  });

  it('recommends aborting stale multipart uploads only when there are some, and never for hosted targets', () => {
    const stale = { objects: 2, bytes: 2 * GIB };
    const report = estimateUsage(
      input({
        targets: [
          target({ staleMultipartUploads: stale }),
          target({ targetId: '22222222-2222-4222-8222-222222222222', mode: 'hosted', staleMultipartUploads: stale }),
        ],
      }),
    );
    const abort = report.recommendations.filter((r) => r.id === 'abort-incomplete-multipart');
    expect(abort.map((r) => r.targetId)).toEqual(['11111111-1111-4111-8111-111111111111']);
    expect(abort[0]!.monthlySaving).toBeCloseTo(2 * 0.023, 4);
    expect(report.recommendations.every((r) => r.targetId !== '22222222-2222-4222-8222-222222222222')).toBe(true);
  });

  it('scales link egress and GET requests of the window to a 30-day month', () => {
    const report = estimateUsage(
      input({
        days: 10,
        links: {
          daily: [
            { day: '2026-11-28', mints: 3, links: 9, bytesExposed: 2 * GIB },
            { day: '2026-11-29', mints: 1, links: 3, bytesExposed: 1 * GIB },
          ],
        },
      }),
    );
    expect(report.links).toMatchObject({ mints: 4, links: 12, bytesExposed: 3 * GIB });
    expect(report.links.daily).toHaveLength(2);
    const egress = report.cost.lines.find((l) => l.item === 'egress')!;
    expect(egress.quantity).toBeCloseTo(9, 6);
    expect(egress.monthly).toBeCloseTo(9 * 0.09, 4);
    expect(report.cost.lines.find((l) => l.item === 'requests.get')!.quantity).toBeCloseTo(0.036, 6);
    expect(report.cost.monthly).toBeCloseTo(
      report.cost.lines.reduce((n, l) => n + l.monthly, 0),
      3,
    );
  });

  it('uses the configured price table', () => {
    const prices = { ...DEFAULT_PRICE_TABLE, storagePerGibMonth: { STANDARD: 1, STANDARD_IA: 0.5 } };
    const report = estimateUsage(input({ prices, targets: [target({ renditionsByKind: {} })] }));
    expect(report.cost.lines.find((l) => l.item === 'storage.STANDARD')!.monthly).toBe(100);
    expect(report.recommendations[0]!.monthlySaving).toBe(20);
  });
});

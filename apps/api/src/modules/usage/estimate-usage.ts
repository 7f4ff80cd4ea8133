import type { CostLine, PriceTable, Recommendation, StorageClass, TargetUsage, UsageCount, UsageResponse } from '@isola/contracts';
import type { BucketLifecycleConfiguration } from '@isola/tenant-storage';

const GIB = 1024 ** 3;
const DAYS_PER_MONTH = 30;

/** What the repository measured for one storage target. */
export interface TargetFacts {
  targetId: string;
  mode: 'hosted' | 'isolated';
  bucket: string;
  prefix: string;
  status: string;
  active: boolean;
  sources: UsageCount;
  /** Sources old enough for the IA rule and at least the IA minimum billable size. */
  sourcesEligibleForIa: UsageCount;
  renditionsByKind: Record<string, UsageCount>;
  staleMultipartUploads: UsageCount;
}

export interface LinkFacts {
  daily: { day: string; mints: number; links: number; bytesExposed: number }[];
}

export interface UsageInput {
  now: Date;
  days: number;
  /** The studio applied the IA rule after this many days (query); absent = all STANDARD. */
  sourcesToIaAfterDays: number | undefined;
  /** Age the IA recommendation uses when the rule is not applied yet. */
  recommendIaAfterDays: number;
  targets: TargetFacts[];
  links: LinkFacts;
  prices: PriceTable;
  /** The S3 lifecycle rules a target should carry (the setup kit's), with or without the IA transition. */
  lifecycleFor: (target: TargetFacts, transitionSourcesAfterDays: number | undefined) => BucketLifecycleConfiguration;
}

const zero = (): UsageCount => ({ objects: 0, bytes: 0 });
const add = (a: UsageCount, b: UsageCount): UsageCount => ({ objects: a.objects + b.objects, bytes: a.bytes + b.bytes });
const sub = (a: UsageCount, b: UsageCount): UsageCount => ({ objects: a.objects - b.objects, bytes: a.bytes - b.bytes });
const sum = (counts: UsageCount[]): UsageCount => counts.reduce(add, zero());
/** Money rounded to a hundredth of a cent: estimates, not invoices. */
const money = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * Turns measured facts into the usage report: totals, a per-class split, a monthly cost estimate from
 * the price table and lifecycle recommendations with the JSON to apply. Pure: the repository measures,
 * this decides.
 */
export function estimateUsage(input: UsageInput): UsageResponse {
  const { prices } = input;
  const iaApplied = input.sourcesToIaAfterDays !== undefined;

  const targets: TargetUsage[] = input.targets.map((t) => {
    const renditions = sum(Object.values(t.renditionsByKind));
    const inIa = iaApplied ? t.sourcesEligibleForIa : zero();
    const byStorageClass: Record<StorageClass, UsageCount> = {
      STANDARD: sub(add(t.sources, renditions), inIa),
      STANDARD_IA: inIa,
    };
    return {
      targetId: t.targetId,
      mode: t.mode,
      bucket: t.bucket,
      prefix: t.prefix,
      status: t.status,
      active: t.active,
      sources: t.sources,
      renditions: { ...renditions, byKind: t.renditionsByKind },
      byStorageClass,
      staleMultipartUploads: t.staleMultipartUploads,
    };
  });

  const daily = input.links.daily.map((d) => ({ day: d.day, mints: d.mints, bytesExposed: d.bytesExposed }));
  const links = {
    mints: input.links.daily.reduce((n, d) => n + d.mints, 0),
    links: input.links.daily.reduce((n, d) => n + d.links, 0),
    bytesExposed: input.links.daily.reduce((n, d) => n + d.bytesExposed, 0),
    daily,
  };

  const toMonth = DAYS_PER_MONTH / input.days;
  const standardBytes = targets.reduce((n, t) => n + t.byStorageClass.STANDARD.bytes, 0);
  const iaBillableBytes = targets.reduce((n, t) => n + t.byStorageClass.STANDARD_IA.bytes, 0);
  const line = (item: CostLine['item'], quantity: number, unit: CostLine['unit'], unitPrice: number): CostLine => ({
    item,
    quantity: Math.round(quantity * 1000) / 1000,
    unit,
    unitPrice,
    monthly: money(quantity * unitPrice),
  });
  const lines: CostLine[] = [
    line('storage.STANDARD', standardBytes / GIB, 'GiB-month', prices.storagePerGibMonth.STANDARD),
    line('storage.STANDARD_IA', iaBillableBytes / GIB, 'GiB-month', prices.storagePerGibMonth.STANDARD_IA),
    line('egress', (links.bytesExposed / GIB) * toMonth, 'GiB', prices.egressPerGib),
    line('requests.get', (links.links / 1000) * toMonth, '1000 requests', prices.getPer1000),
  ];

  return {
    generatedAt: input.now.toISOString(),
    window: {
      days: input.days,
      from: new Date(input.now.getTime() - input.days * 86_400_000).toISOString(),
      to: input.now.toISOString(),
    },
    totals: {
      sources: sum(targets.map((t) => t.sources)),
      renditions: sum(targets.map((t) => ({ objects: t.renditions.objects, bytes: t.renditions.bytes }))),
      stored: sum(targets.map((t) => add(t.sources, t.renditions))),
    },
    targets,
    links,
    cost: {
      currency: prices.currency,
      lines,
      monthly: money(lines.reduce((n, l) => n + l.monthly, 0)),
      assumptions: [
        'Storage: what Isola recorded for each object (sources and renditions), priced per GiB-month.',
        iaApplied
          ? `STANDARD_IA: sources older than ${input.sourcesToIaAfterDays} days (and at least ${prices.iaMinimumBillableBytes} bytes), as the lifecycle rule you applied moves them.`
          : 'Every object counted as STANDARD: Isola writes STANDARD and cannot see your bucket’s lifecycle rules.',
        `Egress and GET requests: every link minted in the last ${input.days} days fetched once, scaled to 30 days (an upper bound: unused links cost nothing).`,
        'Hosted storage is billed by the platform at these prices; isolated storage by your cloud provider.',
      ],
    },
    recommendations: recommend(input),
  };
}

function recommend(input: UsageInput): Recommendation[] {
  const { prices } = input;
  const out: Recommendation[] = [];
  // Only the studio's own buckets: the hosted bucket's lifecycle is the platform's to manage.
  for (const t of input.targets.filter((target) => target.mode === 'isolated' && target.status !== 'retired')) {
    if (t.staleMultipartUploads.objects > 0) {
      out.push({
        id: 'abort-incomplete-multipart',
        targetId: t.targetId,
        title: 'Abort incomplete multipart uploads after 1 day',
        why:
          `${t.staleMultipartUploads.objects} upload(s) started more than a day ago never completed; S3 keeps billing ` +
          'their parts until they are aborted. The setup kit’s lifecycle rule aborts them automatically.',
        monthlySaving: money((t.staleMultipartUploads.bytes / GIB) * prices.storagePerGibMonth.STANDARD),
        lifecycleConfiguration: { Rules: [...input.lifecycleFor(t, input.sourcesToIaAfterDays).Rules] },
      });
    }
    const perGibSaving = prices.storagePerGibMonth.STANDARD - prices.storagePerGibMonth.STANDARD_IA;
    if (input.sourcesToIaAfterDays === undefined && t.sourcesEligibleForIa.bytes > 0 && perGibSaving > 0) {
      out.push({
        id: 'sources-to-infrequent-access',
        targetId: t.targetId,
        title: `Move sources older than ${input.recommendIaAfterDays} days to STANDARD_IA`,
        why:
          `${t.sourcesEligibleForIa.objects} source(s) (${formatGib(t.sourcesEligibleForIa.bytes)}) are older than ` +
          `${input.recommendIaAfterDays} days. Proxies and thumbnails stay STANDARD (they are what people view); ` +
          `originals are rarely read again. A read of a moved original costs ${prices.iaRetrievalPerGib} USD/GiB.`,
        monthlySaving: money((t.sourcesEligibleForIa.bytes / GIB) * perGibSaving),
        lifecycleConfiguration: { Rules: [...input.lifecycleFor(t, input.recommendIaAfterDays).Rules] },
      });
    }
  }
  return out;
}

function formatGib(bytes: number): string {
  return `${(bytes / GIB).toFixed(2)} GiB`;
}

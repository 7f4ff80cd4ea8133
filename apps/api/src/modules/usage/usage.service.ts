import { Inject, Injectable } from '@nestjs/common';
import { usageQuerySchema, type UsageResponse } from '@isola/contracts';
import { Clock } from '@isola/runtime';
import { parseBody } from '../../common/validation.js';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';
import { estimateUsage } from './estimate-usage.js';
import { lifecycleForTarget } from './lifecycle-for-target.js';
import { UsageRepository } from './usage.repository.js';

const DAY_MS = 86_400_000;
/** The age after which the recommendation moves sources to STANDARD_IA (AWS's minimum for IA is 30). */
const RECOMMENDED_IA_AFTER_DAYS = 30;
/** Multipart uploads open longer than this count as abandoned (the setup kit's lifecycle rule: 1 day). */
const STALE_MULTIPART_DAYS = 1;

/** A tenant's storage, link mints and their estimated monthly cost, with lifecycle recommendations. */
@Injectable()
export class UsageService {
  constructor(
    private readonly usage: UsageRepository,
    private readonly clock: Clock,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async report(tenantId: string, rawQuery: unknown): Promise<UsageResponse> {
    const query = parseBody(usageQuerySchema, rawQuery);
    const now = this.clock.now();
    const iaAfterDays = query.sourcesToIaAfterDays ?? RECOMMENDED_IA_AFTER_DAYS;
    const [targets, links] = await Promise.all([
      this.usage.targets(tenantId, {
        iaCutoff: new Date(now.getTime() - iaAfterDays * DAY_MS),
        iaMinimumBytes: this.config.prices.iaMinimumBillableBytes,
        staleBefore: new Date(now.getTime() - STALE_MULTIPART_DAYS * DAY_MS),
      }),
      this.usage.links(tenantId, new Date(now.getTime() - query.days * DAY_MS)),
    ]);
    return estimateUsage({
      now,
      days: query.days,
      sourcesToIaAfterDays: query.sourcesToIaAfterDays,
      recommendIaAfterDays: RECOMMENDED_IA_AFTER_DAYS,
      targets,
      links,
      prices: this.config.prices,
      lifecycleFor: lifecycleForTarget,
    });
  }
}

import { Controller, Get, Query } from '@nestjs/common';
import type { UsageResponse } from '@isola/contracts';
import { Access, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { UsageService } from './usage.service.js';

/** GET /api/tenant/usage: the studio's storage, link egress and estimated cost (tenant admins). */
@Controller('tenant/usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get()
  @Access('tenant-admin')
  report(@CurrentActor() actor: Actor, @Query() query: unknown): Promise<UsageResponse> {
    // tenant-admin guarantees a tenant
    return this.usage.report(actor.tenant!.id, query);
  }
}

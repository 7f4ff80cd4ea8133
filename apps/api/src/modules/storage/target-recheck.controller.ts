import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { TargetRecheckResponse } from '@isola/contracts';
import { Access, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { originOf } from '../auth/auth.controller.js';
import { TargetRecheckService } from './target-recheck.service.js';

/** "I restored the role: check now" for a revoked storage target of the session's tenant. */
@Controller('tenant/storage/targets')
export class TargetRecheckController {
  constructor(private readonly recheck: TargetRecheckService) {}

  @Post(':id/recheck')
  @HttpCode(200)
  @Access('tenant-admin')
  run(@CurrentActor() actor: Actor, @Param('id') id: string, @Req() req: Request): Promise<TargetRecheckResponse> {
    return this.recheck.run(actor, id, originOf(req));
  }
}

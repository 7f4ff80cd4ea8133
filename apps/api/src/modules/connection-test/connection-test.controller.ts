import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { VerifyTargetResponse } from '@isola/contracts';
import { Access, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { originOf } from '../auth/auth.controller.js';
import { ConnectionTestService } from './connection-test.service.js';

/** The connection test of one of the session's tenant's storage targets (another tenant's ids are 404). */
@Controller('tenant/storage/targets')
export class ConnectionTestController {
  constructor(private readonly connectionTest: ConnectionTestService) {}

  /** Runs every step now and answers with the stored result and the target's status afterwards. */
  @Post(':id/verify')
  @HttpCode(200)
  @Access('tenant-admin')
  verify(@CurrentActor() actor: Actor, @Param('id') id: string, @Req() req: Request): Promise<VerifyTargetResponse> {
    return this.connectionTest.verify(actor, id, originOf(req));
  }
}

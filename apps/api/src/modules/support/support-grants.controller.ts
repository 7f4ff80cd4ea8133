import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { createSupportGrantSchema, type SupportGrantDto, type SupportGrantListResponse } from '@isola/contracts';
import { Access, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { parseBody } from '../../common/validation.js';
import { originOf } from '../auth/auth.controller.js';
import { SupportException } from './support.exception.js';
import { SupportGrantsService } from './support-grants.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A studio's admins give platform support time-boxed access to their (hosted) media, and take it back. */
@Controller('tenant/support-grants')
export class SupportGrantsController {
  constructor(private readonly grants: SupportGrantsService) {}

  @Get()
  @Access('tenant-admin')
  list(@CurrentActor() actor: Actor): Promise<SupportGrantListResponse> {
    return this.grants.list(actor.tenant!.id);
  }

  @Post()
  @HttpCode(201)
  @Access('tenant-admin')
  create(@CurrentActor() actor: Actor, @Body() body: unknown, @Req() req: Request): Promise<SupportGrantDto> {
    return this.grants.create(actor, actor.tenant!.id, parseBody(createSupportGrantSchema, body), originOf(req));
  }

  @Delete(':id')
  @Access('tenant-admin')
  revoke(@CurrentActor() actor: Actor, @Param('id') id: string, @Req() req: Request): Promise<SupportGrantDto> {
    // an id that is not a uuid names no grant: same answer as another studio's grant
    if (!UUID.test(id)) throw SupportException.grantNotFound();
    return this.grants.revoke(actor, actor.tenant!.id, id.toLowerCase(), originOf(req));
  }
}

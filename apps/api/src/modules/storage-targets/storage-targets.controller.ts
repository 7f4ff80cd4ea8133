import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import {
  createStorageTargetSchema,
  setupKitQuerySchema,
  type RegenerateExternalIdResponse,
  type SetupKitResponse,
  type StorageTargetDto,
  type StorageTargetListResponse,
} from '@isola/contracts';
import { Access, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { parseBody } from '../../common/validation.js';
import { originOf } from '../auth/auth.controller.js';
import { StorageTargetsException } from './storage-targets.exception.js';
import { StorageTargetsService } from './storage-targets.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A studio admin's storage targets (issue 6): list, add, setup kit, ExternalId rotation. */
@Controller('tenant/storage/targets')
export class StorageTargetsController {
  constructor(private readonly targets: StorageTargetsService) {}

  @Get()
  @Access('tenant-admin')
  list(@CurrentActor() actor: Actor): Promise<StorageTargetListResponse> {
    return this.targets.list(actor.tenant!.id);
  }

  @Post()
  @HttpCode(201)
  @Access('tenant-admin')
  create(@CurrentActor() actor: Actor, @Body() body: unknown, @Req() req: Request): Promise<StorageTargetDto> {
    return this.targets.create(actor, actor.tenant!.id, parseBody(createStorageTargetSchema, body), originOf(req));
  }

  @Get(':id/setup-kit')
  @Access('tenant-admin')
  setupKit(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: unknown): Promise<SetupKitResponse> {
    return this.targets.setupKit(actor.tenant!.id, targetId(id), parseBody(setupKitQuerySchema, query));
  }

  @Post(':id/external-id')
  @HttpCode(200)
  @Access('tenant-admin')
  regenerateExternalId(@CurrentActor() actor: Actor, @Param('id') id: string, @Req() req: Request): Promise<RegenerateExternalIdResponse> {
    return this.targets.regenerateExternalId(actor, actor.tenant!.id, targetId(id), originOf(req));
  }
}

/** An id that is not a uuid names no target: the same answer as another studio's target. */
function targetId(id: string): string {
  if (!UUID.test(id)) throw StorageTargetsException.notFound();
  return id.toLowerCase();
}

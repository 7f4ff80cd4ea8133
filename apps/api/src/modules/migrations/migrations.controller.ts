import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { ActivateTargetResponse, MigrationDto, MigrationListResponse } from '@isola/contracts';
import { Access, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { originOf } from '../auth/auth.controller.js';
import { MigrationsService } from './migrations.service.js';

/**
 * The mode switch: `POST /api/tenant/storage/targets/:id/activate` (`:id` = a target of the session's
 * studio, or `hosted`). Lives beside the storage-targets routes (same path prefix, its own module).
 * State-changing: the AccessGuard's same-origin (CSRF) check applies.
 */
@Controller('tenant/storage/targets')
export class TargetActivationController {
  constructor(private readonly migrations: MigrationsService) {}

  @Post(':id/activate')
  @HttpCode(200)
  @Access('tenant-admin')
  activate(@CurrentActor() actor: Actor, @Param('id') id: string, @Req() req: Request): Promise<ActivateTargetResponse> {
    return this.migrations.activate(actor, id, originOf(req));
  }
}

/** Progress of the session's studio's migrations (objects, bytes, %, failed media). */
@Controller('tenant/migrations')
export class MigrationsController {
  constructor(private readonly migrations: MigrationsService) {}

  @Get()
  @Access('tenant-admin')
  list(@CurrentActor() actor: Actor): Promise<MigrationListResponse> {
    return this.migrations.list(actor);
  }

  @Get(':id')
  @Access('tenant-admin')
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<MigrationDto> {
    return this.migrations.get(actor, id);
  }
}

import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { MediaDto, MediaLinksResponse, MediaListResponse } from '@isola/contracts';
import { Access, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { originOf } from '../auth/auth.controller.js';
import { MediaService } from './media.service.js';

/** The media library of the session's tenant (never another's: ids of other tenants are 404). */
@Controller('media')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  @Get()
  @Access('tenant-member')
  list(@CurrentActor() actor: Actor, @Query() query: unknown): Promise<MediaListResponse> {
    return this.media.list(actor, query);
  }

  @Get(':id')
  @Access('tenant-member')
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<MediaDto> {
    return this.media.get(actor, id);
  }

  @Patch(':id')
  @Access('tenant-member')
  rename(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown, @Req() req: Request): Promise<MediaDto> {
    return this.media.rename(actor, id, body, originOf(req));
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('tenant-admin')
  remove(@CurrentActor() actor: Actor, @Param('id') id: string, @Req() req: Request): Promise<void> {
    return this.media.remove(actor, id, originOf(req));
  }

  /** Runs transcoding again with a fresh one-time grant (audited). */
  @Post(':id/reprocess')
  @HttpCode(200)
  @Access('tenant-admin')
  reprocess(@CurrentActor() actor: Actor, @Param('id') id: string, @Req() req: Request): Promise<MediaDto> {
    return this.media.reprocess(actor, id, originOf(req));
  }

  /** Presigned URLs are bearer secrets: no browser, proxy or CDN may keep a copy (they expire anyway). */
  @Get(':id/links')
  @Header('Cache-Control', 'no-store')
  @Access('tenant-member')
  links(@CurrentActor() actor: Actor, @Param('id') id: string, @Req() req: Request): Promise<MediaLinksResponse> {
    return this.media.linksFor(actor, id, originOf(req));
  }
}

import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { NoticeDto, NoticeListResponse } from '@isola/contracts';
import { Access, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { NoticesService } from './notices.service.js';

/** The session tenant's notices, for its admins (another tenant's ids are 404). */
@Controller('tenant/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get()
  @Access('tenant-admin')
  list(@CurrentActor() actor: Actor, @Query() query: unknown): Promise<NoticeListResponse> {
    return this.notices.list(actor.tenant!.id, query);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @Access('tenant-admin')
  dismiss(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<NoticeDto> {
    return this.notices.dismiss(actor.tenant!.id, id);
  }
}

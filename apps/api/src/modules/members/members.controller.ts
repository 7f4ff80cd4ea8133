import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { addMemberSchema, changeMemberRoleSchema, type MemberDto, type MemberListResponse } from '@isola/contracts';
import { Access, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { parseBody } from '../../common/validation.js';
import { originOf } from '../auth/auth.controller.js';
import { MembersService } from './members.service.js';

/** The studio's members and roles, managed by its admins. */
@Controller('tenant/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @Access('tenant-admin')
  list(@CurrentActor() actor: Actor): Promise<MemberListResponse> {
    return this.members.list(actor.tenant!.id);
  }

  @Post()
  @HttpCode(201)
  @Access('tenant-admin')
  add(@CurrentActor() actor: Actor, @Body() body: unknown, @Req() req: Request): Promise<MemberDto> {
    return this.members.add(actor, actor.tenant!.id, parseBody(addMemberSchema, body), originOf(req));
  }

  @Patch(':userId')
  @Access('tenant-admin')
  changeRole(
    @CurrentActor() actor: Actor,
    @Param('userId') userId: string,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<MemberDto> {
    return this.members.changeRole(actor, actor.tenant!.id, userId.toLowerCase(), parseBody(changeMemberRoleSchema, body), originOf(req));
  }

  @Delete(':userId')
  @HttpCode(204)
  @Access('tenant-admin')
  remove(@CurrentActor() actor: Actor, @Param('userId') userId: string, @Req() req: Request): Promise<void> {
    return this.members.remove(actor, actor.tenant!.id, userId.toLowerCase(), originOf(req));
  }
}

import { Module } from '@nestjs/common';
import { MembersController } from './members.controller.js';
import { MembersService } from './members.service.js';

/** Members and roles: /api/tenant/members. */
@Module({ controllers: [MembersController], providers: [MembersService] })
export class MembersModule {}

import { Module } from '@nestjs/common';
import { NoticesController } from './notices.controller.js';
import { NoticesRepository } from './notices.repository.js';
import { NoticesService } from './notices.service.js';

/** In-app notices for tenant admins: GET /api/tenant/notices, POST /api/tenant/notices/:id/dismiss. */
@Module({
  controllers: [NoticesController],
  providers: [NoticesService, NoticesRepository],
})
export class NoticesModule {}

import { Module } from '@nestjs/common';
import { MediaModule } from '../media/media.module.js';
import { SupportAccessPolicy } from './support-access-policy.service.js';
import { SupportGrantsController } from './support-grants.controller.js';
import { SupportGrantsService } from './support-grants.service.js';
import { SupportMediaController } from './support-media.controller.js';
import { SupportTenantsController } from './support-tenants.controller.js';
import { SupportTenantsService } from './support-tenants.service.js';
import { SupportRepository } from './support.repository.js';

/**
 * Platform staff: tenants overview and time-boxed support grants for hosted tenants. Exports
 * SupportAccessPolicy, which media and upload routes consult before serving anyone who is not a
 * member of the media's tenant.
 */
@Module({
  imports: [MediaModule],
  controllers: [SupportTenantsController, SupportGrantsController, SupportMediaController],
  providers: [SupportRepository, SupportAccessPolicy, SupportGrantsService, SupportTenantsService],
  exports: [SupportAccessPolicy],
})
export class SupportModule {}

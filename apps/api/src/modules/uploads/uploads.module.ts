import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { StorageErrorMapper } from './storage-error.mapper.js';
import { uploadsOptionsProvider } from './uploads.config.js';
import { UploadsController } from './uploads.controller.js';
import { UploadsRepository } from './uploads.repository.js';
import { UploadsService } from './uploads.service.js';

/** Direct browser-to-bucket uploads (Uppy @uppy/aws-s3 companion routes under /api/s3). */
@Module({
  imports: [JobsModule],
  controllers: [UploadsController],
  providers: [UploadsService, UploadsRepository, StorageErrorMapper, uploadsOptionsProvider],
})
export class UploadsModule {}

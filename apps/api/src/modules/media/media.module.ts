import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { StorageErrorMapper } from '../uploads/storage-error.mapper.js';
import { uploadsOptionsProvider } from '../uploads/uploads.config.js';
import { MediaController } from './media.controller.js';
import { MediaRepository } from './media.repository.js';
import { MediaService } from './media.service.js';

/** The media library: list, get, rename, delete, and presigned links. */
@Module({
  imports: [JobsModule],
  controllers: [MediaController],
  providers: [MediaService, MediaRepository, StorageErrorMapper, uploadsOptionsProvider],
  exports: [MediaService],
})
export class MediaModule {}

import { Module } from '@nestjs/common';
import { StorageErrorMapper } from '../uploads/storage-error.mapper.js';
import { MediaController } from './media.controller.js';
import { MediaRepository } from './media.repository.js';
import { MediaService } from './media.service.js';

/** The media library: list, get, rename, delete, and presigned links. */
@Module({
  controllers: [MediaController],
  providers: [MediaService, MediaRepository, StorageErrorMapper],
  exports: [MediaService],
})
export class MediaModule {}

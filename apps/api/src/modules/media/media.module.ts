import { Module } from '@nestjs/common';

/** The media library: list, get, rename, delete, and presigned links. */
@Module({})
export class MediaModule {}

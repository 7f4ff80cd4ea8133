import { Module } from '@nestjs/common';

/** Direct browser-to-bucket uploads (Uppy @uppy/aws-s3 companion routes under /api/s3). */
@Module({})
export class UploadsModule {}

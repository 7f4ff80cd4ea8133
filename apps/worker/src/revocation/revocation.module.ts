import { Module } from '@nestjs/common';
import { RevocationRecheckService } from './revocation-recheck.service.js';
import { RevocationRepository } from './revocation.repository.js';

/** Re-checks of revoked storage targets (the broker and Prisma come from the global modules). */
@Module({
  providers: [RevocationRecheckService, RevocationRepository],
  exports: [RevocationRecheckService],
})
export class RevocationModule {}

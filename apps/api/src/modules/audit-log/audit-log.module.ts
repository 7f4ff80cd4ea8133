import { Module } from '@nestjs/common';

/** The studio-readable audit log: GET /api/tenant/audit and its export. */
@Module({})
export class AuditLogModule {}

import { Module } from '@nestjs/common';
import { AuditLogController } from './audit-log.controller.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { AuditLogService } from './audit-log.service.js';

/** The studio-readable audit log: GET /api/tenant/audit and its export. */
@Module({
  controllers: [AuditLogController],
  providers: [AuditLogService, AuditLogRepository],
})
export class AuditLogModule {}

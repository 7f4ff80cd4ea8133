import { Controller, Get, Logger, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Clock } from '@isola/runtime';
import { AuditLogAuditAction, type AuditExportFormat, type AuditListResponse } from '@isola/contracts';
import { Access, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { originOf } from '../auth/auth.controller.js';
import { AuditLogService } from './audit-log.service.js';
import { encodeAuditCsvHeader, encodeAuditCsvRow } from './encode-audit-csv.js';
import { parseAuditExportQuery, parseAuditListQuery, type AuditFilter } from './parse-audit-filter.js';

const CONTENT_TYPES: Record<AuditExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** Resolves when the response can take more data, or is closed (a client that went away). */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** `isola-audit-<tenant-slug>-<yyyy-mm-dd>.<format>`, safe to put in a header unquoted or quoted. */
export function auditExportFilename(tenantSlug: string, now: Date, format: AuditExportFormat): string {
  const slug = tenantSlug.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `isola-audit-${slug}-${now.toISOString().slice(0, 10)}.${format}`;
}

function describeFilter(filter: AuditFilter): Record<string, string> {
  return Object.fromEntries(
    Object.entries({
      action: filter.action?.value,
      purpose: filter.purpose,
      actorUserId: filter.actorUserId,
      from: filter.from?.toISOString(),
      to: filter.to?.toISOString(),
      q: filter.objectKeyContains,
    }).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** The studio-readable audit log: tenant admins read and export their own tenant's rows, nobody else's. */
@Controller('tenant/audit')
export class AuditLogController {
  private readonly logger = new Logger(AuditLogController.name);

  constructor(
    private readonly auditLog: AuditLogService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Access('tenant-admin')
  list(@CurrentActor() actor: Actor, @Query() query: unknown): Promise<AuditListResponse> {
    return this.auditLog.page(actor.tenant!.id, parseAuditListQuery(query));
  }

  /** Streams every matching row as CSV (header row, RFC 4180, formula-guarded) or a JSON array. */
  @Get('export')
  @Access('tenant-admin')
  async export(@CurrentActor() actor: Actor, @Query() query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const tenant = actor.tenant!;
    const { filter, format } = parseAuditExportQuery(query);
    await this.audit.record({
      tenantId: tenant.id,
      action: AuditLogAuditAction.Exported,
      actor,
      ...originOf(req),
      details: { format, filter: describeFilter(filter) },
    });

    res.status(200);
    res.setHeader('content-type', CONTENT_TYPES[format]);
    res.setHeader('content-disposition', `attachment; filename="${auditExportFilename(tenant.slug, this.clock.now(), format)}"`);
    res.setHeader('cache-control', 'no-store');
    const write = (chunk: string) => (res.write(chunk) ? Promise.resolve() : drained(res));
    try {
      if (format === 'csv') await write(encodeAuditCsvHeader());
      else await write('[');
      let first = true;
      for await (const event of this.auditLog.export(tenant.id, filter)) {
        if (res.destroyed) return; // the client went away
        if (format === 'csv') await write(encodeAuditCsvRow(event));
        else await write(`${first ? '\n' : ',\n'}${JSON.stringify(event)}`);
        first = false;
      }
      if (format === 'json') await write(first ? ']\n' : '\n]\n');
      res.end();
    } catch (error) {
      // the status line is gone already: cut the response so the client sees an incomplete download
      this.logger.error({ msg: 'audit export failed mid-stream', tenantId: tenant.id, err: error });
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

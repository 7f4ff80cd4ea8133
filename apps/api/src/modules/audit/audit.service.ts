import { Injectable } from '@nestjs/common';
import { PrismaClient, type AuditActorKind, type Prisma } from '@isola/database';
import type { Actor } from '../../common/auth/actor.js';

export interface AuditEntry {
  tenantId: string | null;
  action: string;
  actor: Actor | null;
  /** Overrides the kind derived from the actor (e.g. `system` for the worker). */
  actorKind?: AuditActorKind;
  purpose?: string | null;
  sessionName?: string | null;
  storageTargetId?: string | null;
  objectKeys?: readonly string[];
  expiresAt?: Date | null;
  ip?: string | null;
  userAgent?: string | null;
  correlationId?: string | null;
  details?: Prisma.InputJsonValue;
}

/**
 * The studio-readable audit log (promise 6): one row per credential or link minted, upload step,
 * storage-config change and sign-in, written in the request that caused it.
 */
@Injectable()
export class AuditService {
  constructor(private readonly prisma: PrismaClient) {}

  async record(entry: AuditEntry, tx?: Prisma.TransactionClient): Promise<void> {
    const db = tx ?? this.prisma;
    await db.auditEvent.create({
      data: {
        tenantId: entry.tenantId,
        actorUserId: entry.actor?.userId ?? null,
        actorKind:
          entry.actorKind ?? (entry.actor === null ? 'system' : entry.actor.tenant === null && entry.actor.staffRole ? 'staff' : 'user'),
        action: entry.action,
        purpose: entry.purpose ?? null,
        sessionName: entry.sessionName ?? null,
        storageTargetId: entry.storageTargetId ?? null,
        objectKeys: [...(entry.objectKeys ?? [])],
        expiresAt: entry.expiresAt ?? null,
        ip: entry.ip ?? null,
        userAgent: entry.userAgent?.slice(0, 512) ?? null,
        correlationId: entry.correlationId ?? null,
        ...(entry.details === undefined ? {} : { details: entry.details }),
      },
    });
  }
}

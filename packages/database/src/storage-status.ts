// Revocation status transitions of a storage target, shared by the API and the worker: each one
// transaction that changes the target, writes its audit row and the notice for the tenant's admins
// together, or nothing at all. Idempotent and race-safe: the target row is locked and the change
// applies only from the expected status, so a second report of the same revocation (another request,
// another process) changes nothing and writes no second notice.
import { JobName, NoticeKind, RevocationAuditAction } from '@isola/contracts';
import type { Prisma, PrismaClient, StorageTarget, StorageTargetStatus } from './generated/prisma/client.js';

/** Re-check schedule default: the first re-check comes this long after a revocation (the worker's REVOCATION_RECHECK_BASE_MS). */
export const DEFAULT_FIRST_RECHECK_MS = 60_000;

/** What `failureReason` a transcode stopped by a revoked target records (TranscodeErrorCode). */
export const REVOKED_FAILURE_REASON = 'STORAGE_ACCESS_REVOKED';

/** Statuses a target can be revoked from (and returns to when access comes back). */
const REVOCABLE: readonly StorageTargetStatus[] = ['active', 'verified'];

export interface MarkTargetRevokedInput {
  targetId: string;
  /** Why, for the audit row and the notice (e.g. the STS answer: `AssumeRole denied (HTTP 403)`). */
  reason: string;
  at: Date;
  /** When the worker should first try AssumeRole again. */
  nextCheckAt: Date;
  /** Who found out: `api`, `worker`, … (audit only). */
  source: string;
  correlationId?: string | null;
}

export interface MarkTargetRestoredInput {
  targetId: string;
  at: Date;
  /** The worker's re-check found access back, or a tenant admin asked for a re-check that did. */
  by: 'recheck' | 'admin';
  /** The admin who asked (by = admin). */
  actorUserId?: string | null;
  /** RoleSessionName of the credential that proved access (audit). */
  sessionName?: string | null;
  correlationId?: string | null;
  /**
   * Media whose transcode stopped on the revocation (`failed` with STORAGE_ACCESS_REVOKED) go back to
   * `uploaded` with a fresh transcode grant of this many seconds and a Media.Transcode job.
   */
  transcodeGrantSeconds: number;
}

export interface StatusTransition {
  /** This call changed the target (false: it was not in a state the transition applies to). */
  changed: boolean;
  /** The target's status after the call (null: no such target). */
  status: StorageTargetStatus | null;
}

export interface RestoreTransition extends StatusTransition {
  /** Media queued for transcoding again. */
  resumedMedia: string[];
}

/** Most media re-queued by one restore (the rest keep `failed`: a tenant admin's re-process covers them). */
const MAX_RESUMED_MEDIA = 1000;

/**
 * Marks an isolated `active`/`verified` target `revoked` (remembering the status to return to),
 * with an audit row (`target.revoked`, actorKind system) and a notice for the tenant's admins.
 * Hosted targets are never marked (their role is the platform's own: an operator problem).
 */
export async function markTargetRevoked(prisma: PrismaClient, input: MarkTargetRevokedInput): Promise<StatusTransition> {
  return prisma.$transaction(async (tx) => {
    const target = await lockTarget(tx, input.targetId);
    if (target === null) return { changed: false, status: null };
    if (target.mode !== 'isolated' || !REVOCABLE.includes(target.status)) return { changed: false, status: target.status };

    await tx.storageTarget.update({
      where: { id: target.id },
      data: {
        status: 'revoked',
        statusBeforeRevocation: target.status,
        revokedAt: input.at,
        nextCheckAt: input.nextCheckAt,
        recheckAttempts: 0,
        lastCheckAt: input.at,
        lastCheckResult: { kind: 'revocation', ok: false, at: input.at.toISOString(), reason: input.reason, source: input.source },
      },
    });
    const facts = {
      targetId: target.id,
      bucket: target.bucket,
      prefix: target.prefix,
      roleArn: target.roleArn,
      revokedAt: input.at.toISOString(),
      nextCheckAt: input.nextCheckAt.toISOString(),
    };
    await tx.auditEvent.create({
      data: {
        tenantId: target.tenantId,
        actorKind: 'system',
        action: RevocationAuditAction.TargetRevoked,
        storageTargetId: target.id,
        correlationId: input.correlationId ?? null,
        details: { ...facts, reason: input.reason, source: input.source, statusBefore: target.status },
      },
    });
    await tx.notice.create({
      data: { tenantId: target.tenantId, kind: NoticeKind.TargetRevoked, message: revokedMessage(target), details: facts },
    });
    return { changed: true, status: 'revoked' };
  });
}

/**
 * Returns a `revoked` target to the status it had before (`active` or `verified`), clears its
 * re-check schedule, re-queues the transcodes the revocation stopped, and writes the audit row
 * (`target.restored`, actorKind system) and a notice for the tenant's admins.
 */
export async function markTargetRestored(prisma: PrismaClient, input: MarkTargetRestoredInput): Promise<RestoreTransition> {
  return prisma.$transaction(async (tx) => {
    const target = await lockTarget(tx, input.targetId);
    if (target === null) return { changed: false, status: null, resumedMedia: [] };
    if (target.status !== 'revoked') return { changed: false, status: target.status, resumedMedia: [] };

    const status =
      target.statusBeforeRevocation !== null && REVOCABLE.includes(target.statusBeforeRevocation)
        ? target.statusBeforeRevocation
        : 'verified';
    await tx.storageTarget.update({
      where: { id: target.id },
      data: {
        status,
        statusBeforeRevocation: null,
        revokedAt: null,
        nextCheckAt: null,
        recheckAttempts: 0,
        lastCheckAt: input.at,
        lastCheckResult: { kind: 'revocation', ok: true, at: input.at.toISOString(), by: input.by },
      },
    });
    const resumedMedia = await resumeStoppedTranscodes(tx, target, input);
    const facts = {
      targetId: target.id,
      bucket: target.bucket,
      prefix: target.prefix,
      revokedAt: target.revokedAt?.toISOString() ?? null,
      restoredAt: input.at.toISOString(),
      by: input.by,
    };
    await tx.auditEvent.create({
      data: {
        tenantId: target.tenantId,
        actorKind: 'system',
        action: RevocationAuditAction.TargetRestored,
        storageTargetId: target.id,
        purpose: input.sessionName ? 'verify' : null,
        sessionName: input.sessionName ?? null,
        correlationId: input.correlationId ?? null,
        details: {
          ...facts,
          status,
          recheckAttempts: target.recheckAttempts,
          resumedMedia: resumedMedia.length,
          ...(input.actorUserId ? { requestedBy: input.actorUserId } : {}),
        },
      },
    });
    await tx.notice.create({
      data: {
        tenantId: target.tenantId,
        kind: NoticeKind.TargetRestored,
        message: restoredMessage(target, resumedMedia.length),
        details: { ...facts, resumedMedia: resumedMedia.length },
      },
    });
    return { changed: true, status, resumedMedia };
  });
}

/** The target row, locked until the transaction ends (concurrent transitions queue behind it). */
async function lockTarget(tx: Prisma.TransactionClient, targetId: string): Promise<StorageTarget | null> {
  const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM storage_targets WHERE id = ${targetId}::uuid FOR UPDATE`;
  if (locked.length === 0) return null;
  return tx.storageTarget.findUnique({ where: { id: targetId } });
}

async function resumeStoppedTranscodes(
  tx: Prisma.TransactionClient,
  target: StorageTarget,
  input: MarkTargetRestoredInput,
): Promise<string[]> {
  const stopped = await tx.media.findMany({
    where: { storageTargetId: target.id, status: 'failed', failureReason: REVOKED_FAILURE_REASON, deletedAt: null },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
    take: MAX_RESUMED_MEDIA,
  });
  const ids = stopped.map((m) => m.id);
  if (ids.length === 0) return [];
  await tx.media.updateMany({
    where: { id: { in: ids }, status: 'failed' },
    data: { status: 'uploaded', progress: 0, failureReason: null },
  });
  const expiresAt = new Date(input.at.getTime() + input.transcodeGrantSeconds * 1000);
  await tx.transcodeGrant.createMany({
    data: ids.map((mediaId) => ({ mediaId, tenantId: target.tenantId, expiresAt, issuedBy: 'system', reason: 'target.restored' })),
  });
  await tx.outboxMessage.createMany({
    data: ids.map((mediaId) => ({
      jobName: JobName.MediaTranscode,
      payload: { mediaId },
      correlationId: input.correlationId ?? `target.restored:${target.id}`,
    })),
  });
  return ids;
}

function where(target: Pick<StorageTarget, 'bucket' | 'prefix'>): string {
  return target.prefix === '' ? `bucket "${target.bucket}"` : `bucket "${target.bucket}" (prefix "${target.prefix}/")`;
}

function revokedMessage(target: StorageTarget): string {
  return (
    `Isola can no longer reach your storage ${where(target)}: assuming the role ${target.roleArn} was refused, ` +
    'so the role, its trust policy or its permissions were removed or changed. ' +
    'Nothing is lost: your media stay in your bucket, untouched. Until access is back, uploads, downloads, ' +
    'previews and processing of the media stored there are paused (uploads in progress can be resumed later). ' +
    "To fix it, restore the role with the trust and permission policies from this target's setup kit. " +
    'Isola checks again by itself and resumes as soon as it can reach the bucket; you can also ask for a check now.'
  );
}

function restoredMessage(target: StorageTarget, resumed: number): string {
  return (
    `Isola can reach your storage ${where(target)} again. Uploads, downloads and previews work again; ` +
    'interrupted uploads can be resumed' +
    (resumed > 0 ? `, and ${resumed} media whose processing was stopped are being processed now.` : '.')
  );
}

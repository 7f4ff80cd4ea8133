// What the API and the worker both do when the credential broker reports that a storage target's
// role was revoked or is reachable again: the status writes of storage-status.ts, run in the
// background. The broker calls its events synchronously on the request or job path, so a write
// must neither block nor throw there: it runs on its own, errors are logged, and `settled()` awaits
// whatever is still running (before shutdown; in tests). The apps' CredentialEvents classes keep the
// broker's types and their own follow-ups; this file knows only plain values.
import type { PrismaClient } from './generated/prisma/client.js';
import { markTargetRestored, markTargetRevoked, type StatusTransition } from './storage-status.js';

/** The few logger methods used (Nest's Logger and pino both fit). */
export interface StatusLogger {
  warn(message: object): void;
  error(message: object): void;
}

export interface StorageStatusEventsOptions {
  prisma: PrismaClient;
  /** Read once per event, when it is reported (not when the write runs). */
  clock: { now(): Date };
  logger: StatusLogger;
  /** Who found out, for the audit row: `api`, `worker`. */
  source: string;
  /** The worker's first re-check comes this long after a revocation. */
  firstRecheckMs: number;
  /** Media a restore sends back to transcoding get a fresh grant of this many seconds. */
  transcodeGrantSeconds: number;
}

export interface RevocationReport {
  target: { id: string; tenantId: string };
  /** How STS refused (audit row and notice; no secrets). */
  reason: string;
  correlationId?: string | null | undefined;
}

export interface RestoreReport {
  target: { id: string };
  correlationId?: string | null | undefined;
}

export interface IssuedReport {
  target: { id: string; tenantId: string };
  purpose: string;
  sessionName: string;
  expiresAt: Date;
  /** Keys and prefixes the credential's session policy names. */
  objectKeys: readonly string[];
  correlationId?: string | null | undefined;
  /** What the credential was for (`mediaId`, `side`…), plain values only. */
  details?: Record<string, string>;
}

export class StorageStatusEvents {
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly options: StorageStatusEventsOptions) {}

  /**
   * Marks the target revoked (`markTargetRevoked`: once per revocation, whichever process reports it
   * first) and logs when this call did it; `then` runs with the transition once it is written.
   */
  markRevoked(report: RevocationReport, then?: (transition: StatusTransition) => void): void {
    const { prisma, clock, logger, source, firstRecheckMs } = this.options;
    const at = clock.now();
    const targetId = report.target.id;
    this.inBackground('mark the target revoked', targetId, async () => {
      const transition = await markTargetRevoked(prisma, {
        targetId,
        reason: report.reason,
        at,
        nextCheckAt: new Date(at.getTime() + firstRecheckMs),
        source,
        correlationId: report.correlationId ?? null,
      });
      if (transition.changed) logger.warn({ msg: 'storage target marked revoked', targetId, tenantId: report.target.tenantId });
      then?.(transition);
    });
  }

  /** Restores a target still marked revoked (`markTargetRestored`, by the re-check). */
  markRestored(report: RestoreReport): void {
    const { prisma, clock, transcodeGrantSeconds } = this.options;
    const at = clock.now();
    const targetId = report.target.id;
    this.inBackground('restore the target', targetId, async () => {
      await markTargetRestored(prisma, {
        targetId,
        at,
        by: 'recheck',
        correlationId: report.correlationId ?? null,
        transcodeGrantSeconds,
      });
    });
  }

  /**
   * One audit row for a credential minted outside an API request (the worker's transcode, migrate and
   * delete credentials: the API audits its own per request), so the studio's audit log lists every
   * credential Isola held for its bucket: purpose, role session name, the keys it may touch, expiry.
   */
  recordIssued(report: IssuedReport): void {
    const { prisma, source } = this.options;
    const targetId = report.target.id;
    this.inBackground('record the credential in the audit log', targetId, async () => {
      await prisma.auditEvent.create({
        data: {
          tenantId: report.target.tenantId,
          actorKind: 'system',
          action: 'credential.issued',
          purpose: report.purpose,
          sessionName: report.sessionName,
          storageTargetId: targetId,
          objectKeys: [...report.objectKeys],
          expiresAt: report.expiresAt,
          correlationId: report.correlationId ?? null,
          details: { source, ...report.details },
        },
      });
    });
  }

  /** Resolves once every write started so far has ended (shutdown; tests). */
  async settled(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  private inBackground(what: string, targetId: string, write: () => Promise<void>): void {
    const running: Promise<void> = write()
      .catch((error: unknown) => {
        this.options.logger.error({ msg: `could not ${what}`, targetId, error: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => this.writes.delete(running));
    this.writes.add(running);
  }
}

import { Injectable } from '@nestjs/common';
import { PrismaClient, type Prisma } from '@isola/database';
import { Clock } from '@isola/runtime';
import { TranscodeErrorCode, TranscodeException } from './transcode.exception.js';

/** A grant the worker may act on: unconsumed and not expired when it was read. */
export interface LiveGrant {
  id: string;
  mediaId: string;
  expiresAt: Date;
}

/**
 * Transcode grants (created by the API when an upload completes, or by a tenant admin's
 * "re-process"): the worker's only licence to reach a studio's bucket for a media. A grant is
 * claimed before every credential request and consumed, once, in the transaction that records the
 * renditions.
 */
@Injectable()
export class TranscodeGrantsRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /**
   * The media's live, unconsumed grant (the one expiring last if there are several), issued for the
   * media's own tenant. Refuses with
   * TRANSCODE_GRANT_EXPIRED — saying whether it was consumed, expired or never issued — otherwise.
   */
  async claim(mediaId: string, tenantId: string): Promise<LiveGrant> {
    const now = this.clock.now();
    const live = await this.prisma.transcodeGrant.findFirst({
      where: { mediaId, tenantId, consumedAt: null, expiresAt: { gt: now } },
      orderBy: { expiresAt: 'desc' },
      select: { id: true, mediaId: true, expiresAt: true },
    });
    if (live !== null) return live;

    const latest = await this.prisma.transcodeGrant.findFirst({ where: { mediaId, tenantId }, orderBy: { createdAt: 'desc' } });
    const why =
      latest === null
        ? 'no transcode grant was ever issued for it'
        : latest.consumedAt !== null
          ? `its transcode grant was consumed at ${latest.consumedAt.toISOString()}`
          : `its transcode grant expired at ${latest.expiresAt.toISOString()}`;
    throw new TranscodeException(
      TranscodeErrorCode.TRANSCODE_GRANT_EXPIRED,
      `Media ${mediaId} cannot be transcoded: ${why}. A tenant admin's "re-process" issues a fresh grant.`,
    );
  }

  /** Marks the grant used. Inside the transaction that records the outcome; false if it was already consumed. */
  async consume(tx: Prisma.TransactionClient, grantId: string, at: Date): Promise<boolean> {
    const { count } = await tx.transcodeGrant.updateMany({ where: { id: grantId, consumedAt: null }, data: { consumedAt: at } });
    return count === 1;
  }
}

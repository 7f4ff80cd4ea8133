import { Injectable } from '@nestjs/common';
import { PrismaClient, type Media, type MediaKind, type RenditionKind, type StorageTarget } from '@isola/database';
import { Clock } from '@isola/runtime';
import { TranscodeGrantsRepository } from './transcode-grants.repository.js';
import type { TranscodeErrorCode } from './transcode.exception.js';

export type MediaToTranscode = Media & { storageTarget: StorageTarget; tenant: { slug: string } };

/** What the worker records about one rendition (a row per media and kind). */
export interface RenditionRecord {
  kind: RenditionKind;
  objectKey: string;
  sizeBytes: number;
  sha256: string;
  contentType: string;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  codec: string | null;
}

export interface ReadyOutcome {
  mediaId: string;
  grantId: string;
  kind: MediaKind;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  renditions: RenditionRecord[];
}

/** Statuses a transcode job may (re)start from: a fresh upload, or a run cut short (crash, retry). */
const RUNNABLE = ['uploaded', 'transcoding'] as const;

/** The media and rendition queries of the transcode job. */
@Injectable()
export class TranscodeRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly grants: TranscodeGrantsRepository,
    private readonly clock: Clock,
  ) {}

  load(mediaId: string): Promise<MediaToTranscode | null> {
    return this.prisma.media.findUnique({ where: { id: mediaId }, include: { storageTarget: true, tenant: { select: { slug: true } } } });
  }

  /** `uploaded`/`transcoding` → `transcoding` at 0 %. False when the media is in another state meanwhile. */
  async markTranscoding(mediaId: string): Promise<boolean> {
    const { count } = await this.prisma.media.updateMany({
      where: { id: mediaId, status: { in: [...RUNNABLE] } },
      data: { status: 'transcoding', progress: 0, failureReason: null },
    });
    return count === 1;
  }

  /** Moves progress forward only (several writes may race; a retry restarts from 0 via markTranscoding). */
  async reportProgress(mediaId: string, percent: number): Promise<void> {
    await this.prisma.media.updateMany({
      where: { id: mediaId, status: 'transcoding', progress: { lt: percent } },
      data: { progress: percent },
    });
  }

  /** The SHA-256 the worker computed from the stored bytes (recorded whether or not it matches). */
  async recordChecksum(mediaId: string, sha256: string): Promise<void> {
    await this.prisma.media.update({ where: { id: mediaId }, data: { sha256Verified: sha256 } });
  }

  async markFailed(mediaId: string, reason: TranscodeErrorCode): Promise<void> {
    await this.prisma.media.updateMany({
      where: { id: mediaId, status: { in: [...RUNNABLE] } },
      data: { status: 'failed', failureReason: reason },
    });
  }

  /**
   * One transaction: the renditions (one per kind, replacing earlier runs' rows; kinds this run did
   * not produce are deleted, so there is always exactly one set), the media `ready`, the grant
   * consumed. False — and nothing written — when the media left `transcoding` meanwhile.
   */
  async markReady(outcome: ReadyOutcome, storageTargetId: string): Promise<boolean> {
    const now = this.clock.now();
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.media.updateMany({
        where: { id: outcome.mediaId, status: 'transcoding' },
        data: {
          status: 'ready',
          progress: 100,
          failureReason: null,
          kind: outcome.kind,
          width: outcome.width,
          height: outcome.height,
          durationMs: outcome.durationMs,
        },
      });
      if (count !== 1) return false;
      const kinds = outcome.renditions.map((r) => r.kind);
      await tx.rendition.deleteMany({ where: { mediaId: outcome.mediaId, kind: { notIn: kinds } } });
      for (const r of outcome.renditions) {
        const data = {
          storageTargetId,
          objectKey: r.objectKey,
          sizeBytes: BigInt(r.sizeBytes),
          sha256: r.sha256,
          contentType: r.contentType,
          width: r.width,
          height: r.height,
          durationMs: r.durationMs,
          codec: r.codec,
        };
        await tx.rendition.upsert({
          where: { mediaId_kind: { mediaId: outcome.mediaId, kind: r.kind } },
          create: { mediaId: outcome.mediaId, kind: r.kind, ...data },
          update: data,
        });
      }
      await this.grants.consume(tx, outcome.grantId, now);
      return true;
    });
  }
}

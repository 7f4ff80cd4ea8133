import { rm } from 'node:fs/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { MediaKind, RenditionKind } from '@isola/database';
import { CredentialBroker } from '@isola/credentials';
import { Clock } from '@isola/runtime';
import {
  isStorageError,
  ObjectStoreFactory,
  renditionKey,
  StorageErrorCode,
  type ObjectStore,
  type StorageError,
  type StorageTargetRef,
  storageTargetRefFrom,
} from '@isola/tenant-storage';
import { WORKER_CONFIG, type WorkerConfig } from '../config/env.schema.js';
import { classifySource, isAnnouncedMedia } from './classify-source.js';
import { redactUrls } from './ffmpeg-output.js';
import { JobProgress } from './job-progress.js';
import type { MediaProbe } from './media-probe.js';
import { displaySize, planTranscode, type TranscodePlan, type TranscodeStep } from './plan-transcode.js';
import { readSource } from './read-source.js';
import { ScratchSpace, type JobScratch } from './scratch-space.js';
import { TranscodeCredentials, type TranscodeAccess } from './transcode-credentials.service.js';
import { TranscodeErrorCode, TranscodeException, isTranscodeException } from './transcode.exception.js';
import { TranscodeRepository, type MediaToTranscode, type RenditionRecord } from './transcode.repository.js';
import { isTranscoderError, Transcoder, type MediaLogger } from './transcoder.port.js';
import { sniffContainer } from './sniff-container.js';
import { uploadRendition } from './upload-rendition.js';

export interface TranscodeContext {
  correlationId?: string | null;
  /** Aborted on shutdown: ffmpeg is killed, the scratch folder wiped, and the job released (retried). */
  signal?: AbortSignal;
  /** Whole-job progress, 0–99 (100 comes with `ready`). */
  onProgress?: (percent: number) => void;
  /** Bull runs the job again if this attempt throws a retryable failure (default: this is the last attempt). */
  moreAttempts?: boolean;
}

export type TranscodeOutcome =
  | { status: 'ready'; kind: MediaKind; renditions: RenditionKind[] }
  | { status: 'failed'; reason: TranscodeErrorCode; message: string }
  | { status: 'skipped'; reason: string };

/** S3's answers to a temporary credential it does not (or no longer) recognise. */
const STALE_CREDENTIAL_CODES = new Set(['ExpiredToken', 'TokenRefreshRequired', 'InvalidToken', 'InvalidAccessKeyId']);

/** Longest a presigned source URL is asked for; the store clamps it to the credential (the grant). */
const SOURCE_URL_SECONDS = 3600;

/**
 * One transcode, start to finish: claim the grant, hash the source, plan from a probe, run ffmpeg
 * step by step reading the source over HTTP, upload each rendition, record the outcome — scratch
 * wiped whatever happens. Decisions live in the pure helpers (classifySource, planTranscode); this
 * orchestrates them.
 *
 * Permanent failures (unsupported, corrupt, checksum mismatch, access revoked, grant expired) end
 * with the media `failed` and are returned; transient ones are thrown as a retryable
 * `TranscodeException` for Bull to retry with backoff, the media staying `transcoding`.
 * Idempotent: rendition keys are fixed per kind and rows are upserted per (media, kind), so a
 * retried, duplicated or re-enqueued job overwrites the same objects and leaves one set.
 */
@Injectable()
export class TranscodeService {
  private readonly logger = new Logger(TranscodeService.name);

  constructor(
    private readonly repository: TranscodeRepository,
    private readonly credentials: TranscodeCredentials,
    private readonly broker: CredentialBroker,
    private readonly stores: ObjectStoreFactory,
    private readonly transcoder: Transcoder,
    private readonly scratch: ScratchSpace,
    private readonly clock: Clock,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  async transcode(mediaId: string, context: TranscodeContext = {}): Promise<TranscodeOutcome> {
    const media = await this.repository.load(mediaId);
    if (media === null) return { status: 'skipped', reason: 'the media no longer exists' };
    if (media.status !== 'uploaded' && media.status !== 'transcoding') return { status: 'skipped', reason: `the media is ${media.status}` };

    const session = new TranscodeSession(media, storageTargetRefFrom(media.storageTarget), this.credentials, this.stores, context);
    const log = this.jobLogger(mediaId, context);
    let job: JobScratch | undefined;
    try {
      await session.access(); // no live grant → TRANSCODE_GRANT_EXPIRED before anything else happens
      if (!(await this.repository.markTranscoding(mediaId))) return { status: 'skipped', reason: 'the media changed state' };
      job = await this.scratch.createJob(mediaId);
      return await this.run(media, session, job, context, log);
    } catch (error) {
      const failure = await this.explain(error, session, context);
      if (failure.retryable) throw failure;
      log.warn(`failed: ${failure.code}: ${failure.message}`);
      await this.repository.markFailed(mediaId, failure.code);
      return { status: 'failed', reason: failure.code, message: failure.message };
    } finally {
      await job?.dispose();
    }
  }

  private async run(
    media: MediaToTranscode,
    session: TranscodeSession,
    job: JobScratch,
    context: TranscodeContext,
    log: MediaLogger,
  ): Promise<TranscodeOutcome> {
    const { signal } = context;
    const progress = new JobProgress((percent) => context.onProgress?.(percent));

    // 1. The source, streamed once through SHA-256 (its first bytes kept to recognise the container).
    const source = await readSource(await session.store(), media.objectKey, { signal, onProgress: (f) => progress.reading(f) });
    await this.repository.recordChecksum(media.id, source.sha256);
    if (media.sha256 !== null && media.sha256.toLowerCase() !== source.sha256) {
      throw new TranscodeException(
        TranscodeErrorCode.CHECKSUM_MISMATCH,
        `The stored bytes hash to ${source.sha256}, not the declared ${media.sha256}.`,
      );
    }

    // 2. Media or not?
    const decision = classifySource(media.kind, source.sizeBytes, sniffContainer(source.head));
    if (decision.action === 'fail') throw new TranscodeException(decision.code, decision.message);
    if (decision.action === 'store') {
      return this.finish(media, session, { kind: decision.kind, width: null, height: null, durationMs: null }, []);
    }

    // 3. Probe over HTTP and plan.
    const probe = await this.transcoder.probe(await session.sourceUrl(), { signal, onSpawn: (pid) => job.registerChild(pid) });
    const plan = planTranscode(probe, { x264Preset: this.config.transcode.x264Preset });
    if (plan.kind === 'other') {
      if (isAnnouncedMedia(media.kind)) {
        throw new TranscodeException(
          TranscodeErrorCode.UNSUPPORTED_MEDIA,
          `No audio or video stream Isola can read (${probe.formatName}).`,
        );
      }
      return this.finish(media, session, { kind: media.kind, width: null, height: null, durationMs: plan.durationMs }, []);
    }
    progress.planned(plan.steps.map((s) => s.weight));
    log.debug(`plan: ${plan.kind} ${plan.width ?? '-'}x${plan.height ?? '-'}, ${plan.steps.map((s) => s.rendition).join(', ')}`);

    // 4. Every rendition into scratch first — ffmpeg reads the source over HTTP, a fresh URL per
    //    step — so a source found corrupt halfway leaves nothing in the bucket; then the uploads.
    const made: { step: TranscodeStep; output: string; probe: MediaProbe }[] = [];
    for (const [index, step] of plan.steps.entries()) {
      const output = job.path(step.fileName);
      const started = performance.now();
      await this.transcoder.run(step, {
        input: await session.sourceUrl(),
        output,
        signal,
        logger: log,
        onProgress: (fraction) => progress.step(index, fraction * 0.9),
        onSpawn: (pid) => job.registerChild(pid),
      });
      log.debug(`${step.rendition} encoded in ${Math.round(performance.now() - started)} ms`);
      made.push({ step, output, probe: await this.transcoder.probe(output, { signal }) });
      progress.step(index, 0.9);
    }
    const renditions: RenditionRecord[] = [];
    for (const [index, { step, output, probe }] of made.entries()) {
      const key = renditionKey(session.target.prefix, media.id, step.fileName);
      const uploaded = await uploadRendition(() => session.store(), {
        key,
        file: output,
        contentType: step.contentType,
        multipart: step.upload === 'multipart',
        partSizeBytes: this.config.transcode.partSizeBytes,
        signal,
      });
      await rm(output, { force: true });
      renditions.push({
        kind: step.rendition,
        objectKey: key,
        contentType: step.contentType,
        ...uploaded,
        ...renditionMetadata(step, probe),
      });
      progress.step(index, 1);
    }
    return this.finish(media, session, plan, renditions);
  }

  /** Records `ready` with the renditions and consumes the grant (one transaction). */
  private async finish(
    media: MediaToTranscode,
    session: TranscodeSession,
    summary: Pick<TranscodePlan, 'width' | 'height' | 'durationMs'> & { kind: MediaKind },
    renditions: RenditionRecord[],
  ): Promise<TranscodeOutcome> {
    const { grant } = await session.access();
    const recorded = await this.repository.markReady(
      {
        mediaId: media.id,
        grantId: grant.id,
        kind: summary.kind,
        width: summary.width,
        height: summary.height,
        durationMs: summary.durationMs,
        renditions,
      },
      media.storageTargetId,
    );
    if (!recorded) return { status: 'skipped', reason: 'the media left transcoding while it ran' };
    return { status: 'ready', kind: summary.kind, renditions: renditions.map((r) => r.kind) };
  }

  /** Any error → the TranscodeException that says what it means for the media. */
  private async explain(error: unknown, session: TranscodeSession, context: TranscodeContext): Promise<TranscodeException> {
    if (context.signal?.aborted) {
      return new TranscodeException(
        TranscodeErrorCode.TRANSCODE_FAILED,
        'The worker stopped the job (shutting down); it is released for a retry.',
        { cause: error },
      );
    }
    if (isTranscodeException(error)) return error;
    if (isTranscoderError(error)) {
      switch (error.kind) {
        case 'corrupt':
          return new TranscodeException(TranscodeErrorCode.CORRUPT_MEDIA, error.message, { cause: error });
        case 'input-denied':
          return this.explainDenial(session, context, error.message);
        case 'input-not-found':
          return new TranscodeException(TranscodeErrorCode.SOURCE_NOT_FOUND, error.message, { cause: error });
        case 'input-unavailable':
          return new TranscodeException(TranscodeErrorCode.STORAGE_UNAVAILABLE, error.message, { cause: error });
        case 'aborted':
        case 'failed':
          return new TranscodeException(TranscodeErrorCode.TRANSCODE_FAILED, error.message, { cause: error });
      }
    }
    if (isStorageError(error)) return this.explainStorageError(error, session, context);
    if (error instanceof RangeError && session.grantEndsWithin(60_000, this.clock.now())) {
      // presigning refuses when the credential (bounded by the grant) is about to end
      return new TranscodeException(TranscodeErrorCode.TRANSCODE_GRANT_EXPIRED, 'The transcode grant ran out before the job finished.', {
        cause: error,
      });
    }
    const message = error instanceof Error ? redactUrls(error.message) : String(error);
    return new TranscodeException(TranscodeErrorCode.TRANSCODE_FAILED, message, { cause: error });
  }

  private async explainStorageError(
    error: StorageError,
    session: TranscodeSession,
    context: TranscodeContext,
  ): Promise<TranscodeException> {
    const operation = error.details.operation ?? '';
    switch (error.code) {
      case StorageErrorCode.PERMISSION_DENIED:
        // a credential S3 no longer takes (expired mid-request): the retry gets a fresh one
        if (STALE_CREDENTIAL_CODES.has(error.details.awsCode ?? '')) {
          return new TranscodeException(TranscodeErrorCode.STORAGE_UNAVAILABLE, error.message, { cause: error });
        }
        return this.explainDenial(session, context, error.message);
      case StorageErrorCode.STORAGE_ACCESS_REVOKED:
        return new TranscodeException(TranscodeErrorCode.STORAGE_ACCESS_REVOKED, error.message, { cause: error });
      case StorageErrorCode.OBJECT_NOT_FOUND:
        return operation === 'GetObject' || operation === 'HeadObject'
          ? new TranscodeException(TranscodeErrorCode.SOURCE_NOT_FOUND, 'The source object is not in the bucket.', { cause: error })
          : new TranscodeException(TranscodeErrorCode.TRANSCODE_FAILED, `${operation}: ${error.message}`, { cause: error });
      case StorageErrorCode.BUCKET_NOT_FOUND:
      case StorageErrorCode.STORAGE_MISCONFIGURED:
        return new TranscodeException(TranscodeErrorCode.STORAGE_MISCONFIGURED, error.message, { cause: error });
      case StorageErrorCode.STORAGE_THROTTLED:
      case StorageErrorCode.STORAGE_UNAVAILABLE:
        return new TranscodeException(TranscodeErrorCode.STORAGE_UNAVAILABLE, error.message, { cause: error });
    }
  }

  /**
   * S3 said 403. After the grant's end that is the session policy doing its job; otherwise a fresh
   * AssumeRole tells a revoked studio (role gone or no longer trusting Isola) from a role too narrow —
   * which is concluded only on the job's last attempt (the others retry with fresh credentials).
   */
  private async explainDenial(session: TranscodeSession, context: TranscodeContext, message: string): Promise<TranscodeException> {
    const scope = session.lastScope;
    if (scope === undefined) return new TranscodeException(TranscodeErrorCode.STORAGE_MISCONFIGURED, message);
    if (session.grantEndsWithin(0, this.clock.now())) {
      return new TranscodeException(
        TranscodeErrorCode.TRANSCODE_GRANT_EXPIRED,
        `The storage refused access after the transcode grant ended (${message}).`,
      );
    }
    const confirmed = await this.broker.confirmDenial(session.target, scope, session.requestContext(context));
    switch (confirmed.code) {
      case StorageErrorCode.STORAGE_ACCESS_REVOKED:
        return new TranscodeException(TranscodeErrorCode.STORAGE_ACCESS_REVOKED, confirmed.message, { cause: confirmed });
      case StorageErrorCode.STORAGE_THROTTLED:
      case StorageErrorCode.STORAGE_UNAVAILABLE:
        return new TranscodeException(TranscodeErrorCode.STORAGE_UNAVAILABLE, confirmed.message, { cause: confirmed });
      default:
        if (context.moreAttempts === true) {
          // The role can be assumed, yet S3 refused this job's credential. A role too narrow answers
          // so — and so does a role the studio deleted and created again under the same name: the
          // sessions of the old role stay refused while new ones work. So the denial is confirmed only
          // with fresh credentials: the target's cached ones are dropped and the job retried (Bull's
          // backoff also gives a re-created role's permissions time to apply); a denial on the last
          // attempt fails the media as misconfigured.
          this.broker.invalidate(session.target.id);
          return new TranscodeException(
            TranscodeErrorCode.STORAGE_UNAVAILABLE,
            `${confirmed.message} Retrying with fresh credentials, in case the role was just re-created. (${message})`,
            { cause: confirmed },
          );
        }
        return new TranscodeException(TranscodeErrorCode.STORAGE_MISCONFIGURED, `${confirmed.message} (${message})`, { cause: confirmed });
    }
  }

  private jobLogger(mediaId: string, context: TranscodeContext): MediaLogger {
    const tag = (message: string) => `media ${mediaId}${context.correlationId ? ` [${context.correlationId}]` : ''}: ${message}`;
    return { debug: (m) => this.logger.debug(tag(m)), warn: (m) => this.logger.warn(tag(m)) };
  }
}

/**
 * The job's access to the studio's bucket: credentials from a live grant, asked again for every
 * request (the broker caches them and renews within the grant window), and presigned source URLs.
 */
class TranscodeSession {
  private current: TranscodeAccess | undefined;

  constructor(
    readonly media: MediaToTranscode,
    readonly target: StorageTargetRef,
    private readonly credentials: TranscodeCredentials,
    private readonly stores: ObjectStoreFactory,
    private readonly context: TranscodeContext,
  ) {}

  get lastScope(): TranscodeAccess['scope'] | undefined {
    return this.current?.scope;
  }

  requestContext(context: TranscodeContext = this.context) {
    return { tenantSlug: this.media.tenant.slug, ...(context.correlationId ? { correlationId: context.correlationId } : {}) };
  }

  async access(): Promise<TranscodeAccess> {
    this.current = await this.credentials.forMedia(this.media, this.target, this.requestContext());
    return this.current;
  }

  async store(): Promise<ObjectStore> {
    const { credentials } = await this.access();
    return this.stores.forCredentials(this.target, credentials);
  }

  /** A GET URL for the source, as long-lived as the credential (hence the grant) allows. */
  async sourceUrl(): Promise<string> {
    const link = await (await this.store()).presignGet({ key: this.media.objectKey, expiresInSeconds: SOURCE_URL_SECONDS });
    return link.url;
  }

  grantEndsWithin(ms: number, now: Date): boolean {
    const expiresAt = this.current?.grant.expiresAt;
    return expiresAt !== undefined && expiresAt.getTime() - now.getTime() <= ms;
  }
}

/** Size, duration and codec of a rendition, from probing the file ffmpeg wrote. */
function renditionMetadata(step: TranscodeStep, made: MediaProbe): Pick<RenditionRecord, 'width' | 'height' | 'durationMs' | 'codec'> {
  const picture = made.video === null ? null : displaySize(made.video);
  const timed = step.rendition === 'proxy' || step.rendition === 'audio_proxy';
  const codec = step.rendition === 'audio_proxy' ? made.audio?.codec : made.video?.codec;
  return {
    width: picture?.width ?? null,
    height: picture?.height ?? null,
    durationMs: timed ? made.durationMs : null,
    codec: codec ?? null,
  };
}

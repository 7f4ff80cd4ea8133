import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleLogger, Logger } from '@nestjs/common';
import type { CredentialBroker } from '@isola/credentials';
import { ManualClock } from '@isola/runtime';
import { StorageError, renditionKey, sourceKey, type ObjectStoreFactory } from '@isola/tenant-storage';
import { loadWorkerConfig } from '../config/env.schema.js';
import type { MediaProbe } from './media-probe.js';
import { ScratchSpace } from './scratch-space.js';
import { InMemoryObjectStore } from './testing/in-memory-object-store.js';
import { RecordingTranscoder } from './testing/recording-transcoder.js';
import type { TranscodeCredentials } from './transcode-credentials.service.js';
import { TranscodeErrorCode, TranscodeException } from './transcode.exception.js';
import type { MediaToTranscode, ReadyOutcome, TranscodeRepository } from './transcode.repository.js';
import { TranscodeService } from './transcode.service.js';
import { TranscoderError } from './transcoder.port.js';

const NOW = new Date('2026-11-30T10:00:00Z');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, ...Buffer.from('JFIF\0')]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n');

const IMAGE_PROBE: MediaProbe = {
  formatName: 'jpeg_pipe',
  durationMs: 40,
  video: { index: 0, codec: 'mjpeg', width: 640, height: 480, sampleAspect: { num: 1, den: 1 }, rotation: 0, frameRate: 25, frameCount: 1 },
  audio: null,
  hasCoverArt: false,
  exifOrientation: 6,
};

/** The media rows the service reads and writes, in memory. */
class FakeRepository {
  media: MediaToTranscode;
  ready: ReadyOutcome | undefined;
  failed: string | undefined;
  checksum: string | undefined;
  readonly progress: number[] = [];

  constructor(overrides: Partial<MediaToTranscode>) {
    const id = overrides.id ?? randomUUID();
    const tenantId = randomUUID();
    const targetId = randomUUID();
    this.media = {
      id,
      tenantId,
      storageTargetId: targetId,
      objectKey: sourceKey('studio', id, 'photo.jpg'),
      filename: 'photo.jpg',
      sizeBytes: 10n,
      contentType: 'image/jpeg',
      sha256: null,
      sha256Verified: null,
      kind: 'image',
      status: 'uploaded',
      failureReason: null,
      progress: 0,
      durationMs: null,
      width: null,
      height: null,
      createdById: null,
      deletedAt: null,
      createdAt: NOW,
      updatedAt: NOW,
      tenant: { slug: 'studio-a' },
      storageTarget: {
        id: targetId,
        tenantId,
        mode: 'isolated',
        provider: 's3_compatible',
        endpoint: 'http://127.0.0.1:7480',
        region: 'us-east-1',
        bucket: 'studio-bucket',
        prefix: 'studio',
        roleArn: 'arn:aws:iam:::role/studio-access',
        externalId: 'x'.repeat(32),
        status: 'active',
        lastCheckAt: null,
        lastCheckResult: null,
        revokedAt: null,
        nextCheckAt: null,
        recheckAttempts: 0,
        statusBeforeRevocation: null,
        createdAt: NOW,
        updatedAt: NOW,
      },
      ...overrides,
    };
  }

  async load() {
    return this.media;
  }
  async markTranscoding() {
    this.media.status = 'transcoding';
    return true;
  }
  async reportProgress(_id: string, percent: number) {
    this.progress.push(percent);
  }
  async recordChecksum(_id: string, sha256: string) {
    this.checksum = sha256;
  }
  async markFailed(_id: string, reason: string) {
    this.failed = reason;
    this.media.status = 'failed';
  }
  async markReady(outcome: ReadyOutcome) {
    this.ready = outcome;
    this.media.status = 'ready';
    return true;
  }
}

describe('TranscodeService (fake ports)', () => {
  let root: string;
  let scratch: ScratchSpace;
  let clock: ManualClock;
  let store: InMemoryObjectStore;
  let transcoder: RecordingTranscoder;
  let grant: { id: string; expiresAt: Date } | null;
  let denial: StorageError;
  let invalidated: string[];

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'isola-service-spec-'));
    scratch = new ScratchSpace({ root });
    await scratch.start();
    clock = new ManualClock(NOW);
    store = new InMemoryObjectStore();
    transcoder = new RecordingTranscoder();
    transcoder.sourceProbe = IMAGE_PROBE;
    grant = { id: randomUUID(), expiresAt: new Date(NOW.getTime() + 30 * 60_000) };
    denial = new StorageError('STORAGE_ACCESS_REVOKED', 'the role is gone');
    invalidated = [];
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  function service(repository: FakeRepository): TranscodeService {
    const credentials = {
      forMedia: async (media: { id: string; objectKey: string }) => {
        if (grant === null || grant.expiresAt <= clock.now()) {
          throw new TranscodeException(TranscodeErrorCode.TRANSCODE_GRANT_EXPIRED, 'no live grant');
        }
        const scope = { purpose: 'transcode' as const, mediaId: media.id, sourceKey: media.objectKey, grantExpiresAt: grant.expiresAt };
        return {
          grant: { ...grant, mediaId: media.id },
          scope,
          credentials: { accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'T', expiresAt: grant.expiresAt },
        };
      },
    } as unknown as TranscodeCredentials;
    const broker = {
      confirmDenial: async () => denial,
      invalidate: (targetId: string) => void invalidated.push(targetId),
    } as unknown as CredentialBroker;
    const stores = { forCredentials: () => store } as unknown as ObjectStoreFactory;
    const config = loadWorkerConfig({ NODE_ENV: 'test', WORKER_SCRATCH_DIR: root });
    return new TranscodeService(
      repository as unknown as TranscodeRepository,
      credentials,
      broker,
      stores,
      transcoder,
      scratch,
      clock,
      config,
    );
  }

  const jobFolders = async () => (await readdir(scratch.directory)).filter((f) => f !== 'owner.json');

  it('makes an image ready: hashes the source, runs each step from a presigned URL, uploads, records, consumes the grant', async () => {
    const repo = new FakeRepository({});
    store.put(repo.media.objectKey, JPEG);
    const progress: number[] = [];

    const outcome = await service(repo).transcode(repo.media.id, { onProgress: (p) => progress.push(p) });

    expect(outcome).toEqual({ status: 'ready', kind: 'image', renditions: ['thumbnail', 'poster'] });
    expect(repo.checksum).toBe(createHash('sha256').update(JPEG).digest('hex'));
    expect(transcoder.runs.map((r) => [r.rendition, r.input])).toEqual([
      ['thumbnail', `memory://${repo.media.objectKey}`],
      ['poster', `memory://${repo.media.objectKey}`],
    ]);
    const thumbnailKey = renditionKey('studio', repo.media.id, 'thumbnail.jpg');
    expect(store.writes).toEqual([thumbnailKey, renditionKey('studio', repo.media.id, 'poster.jpg')]);
    expect(repo.ready).toMatchObject({
      mediaId: repo.media.id,
      grantId: grant!.id,
      kind: 'image',
      width: 480,
      height: 640,
      durationMs: null,
    });
    expect(repo.ready?.renditions[0]).toEqual({
      kind: 'thumbnail',
      objectKey: thumbnailKey,
      contentType: 'image/jpeg',
      sizeBytes: store.objects.get(thumbnailKey)!.body.byteLength,
      sha256: createHash('sha256').update(store.objects.get(thumbnailKey)!.body).digest('hex'),
      width: 32,
      height: 24,
      durationMs: null,
      codec: 'mjpeg',
    });
    expect(progress.length).toBeGreaterThan(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(Math.max(...progress)).toBeLessThan(100);
    expect(await jobFolders()).toEqual([]);
  });

  it('checks the declared SHA-256: a mismatch fails the media before any ffmpeg, the computed one recorded', async () => {
    const repo = new FakeRepository({ sha256: 'a'.repeat(64) });
    store.put(repo.media.objectKey, JPEG);
    expect(await service(repo).transcode(repo.media.id)).toMatchObject({ status: 'failed', reason: 'CHECKSUM_MISMATCH' });
    expect(repo.failed).toBe('CHECKSUM_MISMATCH');
    expect(repo.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(transcoder.probes).toEqual([]);
  });

  it('accepts a declared SHA-256 in upper case', async () => {
    const repo = new FakeRepository({ sha256: createHash('sha256').update(JPEG).digest('hex').toUpperCase() });
    store.put(repo.media.objectKey, JPEG);
    expect(await service(repo).transcode(repo.media.id)).toMatchObject({ status: 'ready' });
  });

  it('stores a PDF as a ready document without probing it', async () => {
    const repo = new FakeRepository({ kind: 'document', contentType: 'application/pdf' });
    store.put(repo.media.objectKey, PDF);
    expect(await service(repo).transcode(repo.media.id)).toEqual({ status: 'ready', kind: 'document', renditions: [] });
    expect(repo.ready).toMatchObject({ kind: 'document', renditions: [], grantId: grant!.id });
    expect(transcoder.probes).toEqual([]);
  });

  it('fails text sent as video (UNSUPPORTED_MEDIA) and a media container without streams it can read', async () => {
    const text = new FakeRepository({ kind: 'video' });
    store.put(text.media.objectKey, 'meeting notes');
    expect(await service(text).transcode(text.media.id)).toMatchObject({ status: 'failed', reason: 'UNSUPPORTED_MEDIA' });
    expect(transcoder.probes).toEqual([]);

    const dataOnly = new FakeRepository({ kind: 'video' });
    store.put(dataOnly.media.objectKey, JPEG);
    transcoder.sourceProbe = { ...IMAGE_PROBE, formatName: 'mov,mp4,m4a,3gp,3g2,mj2', video: null };
    expect(await service(dataOnly).transcode(dataOnly.media.id)).toMatchObject({ status: 'failed', reason: 'UNSUPPORTED_MEDIA' });

    const other = new FakeRepository({ kind: 'other' });
    store.put(other.media.objectKey, JPEG);
    expect(await service(other).transcode(other.media.id)).toEqual({ status: 'ready', kind: 'other', renditions: [] });
  });

  it('fails corrupt media for good and wipes its scratch', async () => {
    const repo = new FakeRepository({});
    store.put(repo.media.objectKey, JPEG);
    transcoder.failStep = {
      rendition: 'poster',
      error: new TranscoderError('corrupt', 'poster: Invalid data found when processing input'),
    };
    expect(await service(repo).transcode(repo.media.id)).toMatchObject({ status: 'failed', reason: 'CORRUPT_MEDIA' });
    expect(store.writes).toEqual([]); // nothing uploaded before every rendition was made
    expect(await jobFolders()).toEqual([]);
  });

  it('throws transient failures for Bull to retry, leaving the media transcoding and the scratch wiped', async () => {
    const repo = new FakeRepository({});
    store.put(repo.media.objectKey, JPEG);
    transcoder.failStep = { rendition: 'thumbnail', error: new TranscoderError('input-unavailable', 'Connection refused') };
    await expect(service(repo).transcode(repo.media.id)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE', retryable: true });
    expect(repo.media.status).toBe('transcoding');
    expect(repo.failed).toBeUndefined();
    expect(await jobFolders()).toEqual([]);

    store.failures.set('GetObject', new StorageError('STORAGE_THROTTLED', 'SlowDown'));
    await expect(service(repo).transcode(repo.media.id)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE', retryable: true });
  });

  it('reads a 403 after the grant ended as an expired grant, and before it as a revocation confirmed by STS', async () => {
    const repo = new FakeRepository({});
    store.put(repo.media.objectKey, JPEG);
    transcoder.failStep = { rendition: 'thumbnail', error: new TranscoderError('input-denied', 'Server returned 403 Forbidden') };
    expect(await service(repo).transcode(repo.media.id)).toMatchObject({ status: 'failed', reason: 'STORAGE_ACCESS_REVOKED' });

    // Credentials fetched while the grant was live; S3 refuses the upload after it ended.
    const late = new FakeRepository({});
    store.put(late.media.objectKey, JPEG);
    transcoder.failStep = undefined;
    const put = store.putObject.bind(store);
    store.putObject = async (input) => {
      clock.set(new Date(grant!.expiresAt.getTime() + 1000));
      await put({ ...input, key: `${input.key}.ignored` });
      throw new StorageError('PERMISSION_DENIED', 'AccessDenied', { details: { operation: 'PutObject' } });
    };
    expect(await service(late).transcode(late.media.id)).toMatchObject({
      status: 'failed',
      reason: 'TRANSCODE_GRANT_EXPIRED',
      message: expect.stringContaining('after the transcode grant ended'),
    });
  });

  it('retries a 403 the role can explain with fresh credentials while attempts remain (a re-created role), and fails it as misconfigured on the last', async () => {
    denial = new StorageError('PERMISSION_DENIED', 'The role can still be assumed.');
    const repo = new FakeRepository({});
    store.put(repo.media.objectKey, JPEG);
    transcoder.failStep = { rendition: 'thumbnail', error: new TranscoderError('input-denied', 'Server returned 403 Forbidden') };

    await expect(service(repo).transcode(repo.media.id, { moreAttempts: true })).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      retryable: true,
      message: expect.stringContaining('Retrying with fresh credentials'),
    });
    expect(invalidated).toEqual([repo.media.storageTarget.id]);
    expect(repo.media.status).toBe('transcoding');
    expect(repo.failed).toBeUndefined();
    expect(await jobFolders()).toEqual([]);

    // the last attempt: the same answer is a role too narrow
    expect(await service(repo).transcode(repo.media.id, { moreAttempts: false })).toMatchObject({
      status: 'failed',
      reason: 'STORAGE_MISCONFIGURED',
    });
    expect(invalidated).toHaveLength(1);
    expect(repo.failed).toBe('STORAGE_MISCONFIGURED');
  });

  it('refuses to start without a live grant, touching no storage', async () => {
    const repo = new FakeRepository({});
    grant = null;
    expect(await service(repo).transcode(repo.media.id)).toMatchObject({ status: 'failed', reason: 'TRANSCODE_GRANT_EXPIRED' });
    expect(repo.checksum).toBeUndefined();
  });

  it('releases an aborted job (shutdown) for a retry rather than failing the media', async () => {
    const repo = new FakeRepository({});
    store.put(repo.media.objectKey, JPEG);
    const controller = new AbortController();
    transcoder.failStep = { rendition: 'poster', error: new TranscoderError('aborted', 'killed') };
    controller.abort();
    await expect(service(repo).transcode(repo.media.id, { signal: controller.signal })).rejects.toMatchObject({ retryable: true });
    expect(repo.media.status).toBe('transcoding');
    expect(await jobFolders()).toEqual([]);
  });

  it('skips media that is ready, failed or gone (a duplicate or late job)', async () => {
    const ready = new FakeRepository({ status: 'ready' });
    expect(await service(ready).transcode(ready.media.id)).toEqual({ status: 'skipped', reason: 'the media is ready' });
    const gone = new FakeRepository({});
    gone.load = async () => null as unknown as MediaToTranscode;
    expect(await service(gone).transcode(gone.media.id)).toEqual({ status: 'skipped', reason: 'the media no longer exists' });
  });
});

import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueName } from '@isola/contracts';
import { CredentialEvents } from '@isola/credentials';
import type { Media } from '@isola/database';
import { createTestStudio, type TestStudio } from '@isola/local-stack';
import { ObjectStoreFactory, StorageError, renditionKey, storageTargetRefFrom } from '@isola/tenant-storage';
import { createWorkerApp } from '../../src/app.factory.js';
import { loadWorkerConfig } from '../../src/config/env.schema.js';
import { ScratchSpace } from '../../src/transcoding/scratch-space.js';
import type { WorkerCredentialEvents } from '../../src/storage/worker-credential-events.js';
import { TranscodeCredentials } from '../../src/transcoding/transcode-credentials.service.js';
import type { TranscodeOutcome } from '../../src/transcoding/transcode.service.js';
import { ffprobeJson, MediaFixtures, minimalPdf } from './support/media-fixtures.js';
import { StudioHarness } from './support/studio-harness.js';

/**
 * The transcode worker end to end against real PostgreSQL, Redis, Ceph RGW (S3 + STS, session
 * policies enforced) and Debian's ffmpeg: jobs go through the Bull queue into the worker app, which
 * reaches the studio's bucket only with grant-bound transcode credentials of the WORKER principal.
 * Renditions are read back from the bucket and checked with ffprobe.
 */
describe('transcoding (real ffmpeg, Redis, PostgreSQL and RGW)', () => {
  let studio: StudioHarness;
  let fixtures: MediaFixtures;
  let worker: INestApplicationContext;
  let queue: Queue;
  let scratch: ScratchSpace;
  const media: Record<string, Media> = {};
  const outcomes: Record<string, TranscodeOutcome> = {};
  const samples: { status: string; progress: number }[] = [];
  const jobProgress: number[] = [];

  const reload = (name: string) => studio.prisma.media.findUniqueOrThrow({ where: { id: media[name]!.id }, include: { renditions: true } });
  const renditionsOf = async (name: string) => Object.fromEntries((await reload(name)).renditions.map((r) => [r.kind, r]));

  beforeAll(async () => {
    [studio, fixtures] = await Promise.all([StudioHarness.open('transcode'), MediaFixtures.create()]);
    // the production preset (veryfast), so the proxy's H.264 profile is what browsers get
    worker = await createWorkerApp(loadWorkerConfig(studio.workerEnv({ WORKER_CONCURRENCY: '3', TRANSCODE_X264_PRESET: 'veryfast' })));
    queue = worker.get<Queue>(getQueueToken(QueueName.Media), { strict: false });
    scratch = worker.get(ScratchSpace);
    queue.on('progress', (_job, progress: number) => jobProgress.push(progress));

    const [video, fast, audio, photo] = await Promise.all([
      fixtures.video('clip.mp4'),
      fixtures.video('fast.mp4', { faststart: true }),
      fixtures.audio('tone.mp3'),
      fixtures.jpegWithOrientation('photo.jpg', 640, 480, 6),
    ]);
    const halfOf = async (file: string) => {
      const bytes = await readFile(file);
      return bytes.subarray(0, bytes.length >> 1);
    };
    const sources = {
      video: { file: video, filename: 'clip.mp4', contentType: 'video/mp4', kind: 'video', sha256: true },
      image: { file: photo, filename: 'photo.jpg', contentType: 'image/jpeg', kind: 'image' },
      audio: { file: audio, filename: 'tone.mp3', contentType: 'audio/mpeg', kind: 'audio' },
      pdf: {
        file: await fixtures.write('brief.pdf', minimalPdf()),
        filename: 'brief.pdf',
        contentType: 'application/pdf',
        kind: 'document',
      },
      // moov at the end (as cameras write it): cut in half, the header is gone
      truncated: {
        file: await fixtures.write('cut.mp4', await halfOf(video)),
        filename: 'cut.mp4',
        contentType: 'video/mp4',
        kind: 'video',
      },
      // moov first: the header survives, the data ends early
      truncatedFaststart: {
        file: await fixtures.write('cut-fast.mp4', await halfOf(fast)),
        filename: 'cut-fast.mp4',
        contentType: 'video/mp4',
        kind: 'video',
      },
      text: {
        file: await fixtures.write('notes.mp4', 'These are meeting notes, not a video.\n'),
        filename: 'notes.mp4',
        contentType: 'video/mp4',
        kind: 'video',
      },
      empty: { file: await fixtures.write('empty.mp4', ''), filename: 'empty.mp4', contentType: 'video/mp4', kind: 'video' },
      tampered: { file: video, filename: 'tampered.mp4', contentType: 'video/mp4', kind: 'video', sha256: '0'.repeat(64) },
      noGrant: { file: video, filename: 'late.mp4', contentType: 'video/mp4', kind: 'video', grantMs: -60_000 },
    } as const;
    for (const [name, spec] of Object.entries(sources)) media[name] = await studio.createSource(spec);

    // Everything at once (concurrency 3), while the video's row is sampled as the API would read it.
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const row = await studio.prisma.media.findUniqueOrThrow({
          where: { id: media['video']!.id },
          select: { status: true, progress: true },
        });
        samples.push(row);
        await sleep(40);
      }
    })();
    const jobs = await Promise.all(Object.keys(sources).map(async (name) => [name, await studio.enqueue(queue, media[name]!.id)] as const));
    for (const [name, job] of jobs) outcomes[name] = (await job.finished()) as TranscodeOutcome;
    sampling = false;
    await sampler;
  }, 90_000);

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await worker?.close();
    await fixtures?.dispose();
    await studio?.close();
  });

  it('makes a video ready: thumbnail, poster, H.264/AAC faststart proxy and filmstrip, read back with ffprobe', async () => {
    expect(outcomes['video']).toEqual({ status: 'ready', kind: 'video', renditions: ['thumbnail', 'poster', 'proxy', 'filmstrip'] });
    const row = await reload('video');
    expect(row).toMatchObject({
      status: 'ready',
      progress: 100,
      kind: 'video',
      width: 640,
      height: 360,
      durationMs: 3000,
      failureReason: null,
    });
    expect(row.sha256Verified).toBe(row.sha256); // the client's checksum, checked

    const renditions = await renditionsOf('video');
    const key = (name: string) => renditionKey(studio.target.prefix, row.id, name);
    expect(renditions['thumbnail']).toMatchObject({
      objectKey: key('thumbnail.jpg'),
      contentType: 'image/jpeg',
      width: 320,
      height: 180,
      codec: 'mjpeg',
      durationMs: null,
    });
    expect(renditions['poster']).toMatchObject({ objectKey: key('poster.jpg'), width: 640, height: 360, codec: 'mjpeg' });
    expect(renditions['proxy']).toMatchObject({
      objectKey: key('proxy.mp4'),
      contentType: 'video/mp4',
      width: 640,
      height: 360,
      codec: 'h264',
    });
    expect(renditions['proxy']!.durationMs).toBeGreaterThanOrEqual(2950);
    expect(renditions['filmstrip']).toMatchObject({ objectKey: key('filmstrip.jpg'), width: 1600, height: 90, codec: 'mjpeg' });
    for (const r of Object.values(renditions)) {
      expect(r.storageTargetId).toBe(studio.target.id);
      expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    }

    // What is in the studio's bucket: exactly these four, as recorded.
    const objects = await studio.renditionObjects(row.id);
    expect(Object.keys(objects).sort()).toEqual(['filmstrip.jpg', 'poster.jpg', 'proxy.mp4', 'thumbnail.jpg']);
    expect(objects['proxy.mp4']).toBe(Number(renditions['proxy']!.sizeBytes));

    const proxy = await ffprobeJson(await studio.download(key('proxy.mp4'), fixtures.dir));
    expect(proxy.format['format_name']).toContain('mp4');
    expect(proxy.streams.map((s) => [s['codec_name'], s['width'], s['height']])).toEqual([
      ['h264', 640, 360],
      ['aac', undefined, undefined],
    ]);
    expect(proxy.streams[0]).toMatchObject({ profile: 'High', pix_fmt: 'yuv420p' });
    const thumbnail = await ffprobeJson(await studio.download(key('thumbnail.jpg'), fixtures.dir));
    expect(thumbnail.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 320, height: 180 });
    const strip = await ffprobeJson(await studio.download(key('filmstrip.jpg'), fixtures.dir));
    expect(strip.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 1600, height: 90 });
  });

  it('reports progress on the job and on the media row while transcoding', () => {
    expect(jobProgress.some((p) => p > 0 && p < 100)).toBe(true);
    expect(samples.some((s) => s.status === 'transcoding' && s.progress > 0 && s.progress < 100)).toBe(true);
    const progressWhileTranscoding = samples.filter((s) => s.status === 'transcoding').map((s) => s.progress);
    expect(progressWhileTranscoding).toEqual([...progressWhileTranscoding].sort((a, b) => a - b));
  });

  it('makes a still image ready with its EXIF orientation applied (640×480 stored, 480×640 shown)', async () => {
    expect(outcomes['image']).toEqual({ status: 'ready', kind: 'image', renditions: ['thumbnail', 'poster'] });
    expect(await reload('image')).toMatchObject({ status: 'ready', kind: 'image', width: 480, height: 640, durationMs: null });
    const renditions = await renditionsOf('image');
    expect(renditions['thumbnail']).toMatchObject({ width: 240, height: 320, codec: 'mjpeg' });
    expect(renditions['poster']).toMatchObject({ width: 480, height: 640, codec: 'mjpeg' });
    const poster = await ffprobeJson(await studio.download(renditions['poster']!.objectKey, fixtures.dir));
    expect(poster.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 480, height: 640 });
    expect(Object.keys(await studio.renditionObjects(media['image']!.id)).sort()).toEqual(['poster.jpg', 'thumbnail.jpg']);
  });

  it('makes audio ready: AAC proxy and waveform PNG', async () => {
    expect(outcomes['audio']).toEqual({ status: 'ready', kind: 'audio', renditions: ['audio_proxy', 'waveform'] });
    const row = await reload('audio');
    expect(row).toMatchObject({ status: 'ready', kind: 'audio', width: null, height: null });
    expect(row.durationMs).toBeGreaterThanOrEqual(2950);
    const renditions = await renditionsOf('audio');
    expect(renditions['audio_proxy']).toMatchObject({ contentType: 'audio/mp4', codec: 'aac', width: null });
    expect(renditions['waveform']).toMatchObject({ contentType: 'image/png', codec: 'png', width: 1200, height: 240 });
    const proxy = await ffprobeJson(await studio.download(renditions['audio_proxy']!.objectKey, fixtures.dir));
    expect(proxy.streams.map((s) => s['codec_name'])).toEqual(['aac']);
    expect(Number(proxy.format['duration'])).toBeGreaterThan(2.9);
    const waveform = await ffprobeJson(await studio.download(renditions['waveform']!.objectKey, fixtures.dir));
    expect(waveform.streams[0]).toMatchObject({ codec_name: 'png', width: 1200, height: 240 });
  });

  it('stores a PDF as a ready document with no renditions, its checksum recorded', async () => {
    expect(outcomes['pdf']).toEqual({ status: 'ready', kind: 'document', renditions: [] });
    const row = await reload('pdf');
    expect(row).toMatchObject({ status: 'ready', kind: 'document', renditions: [] });
    expect(row.sha256).toBeNull();
    expect(row.sha256Verified).toMatch(/^[0-9a-f]{64}$/);
    expect(await studio.renditionObjects(row.id)).toEqual({});
  });

  it.each([
    ['truncated', 'CORRUPT_MEDIA'],
    ['truncatedFaststart', 'CORRUPT_MEDIA'],
    ['text', 'UNSUPPORTED_MEDIA'],
    ['empty', 'CORRUPT_MEDIA'],
    ['tampered', 'CHECKSUM_MISMATCH'],
    ['noGrant', 'TRANSCODE_GRANT_EXPIRED'],
  ])('fails the %s source with %s, leaving no renditions', async (name, reason) => {
    expect(outcomes[name]).toMatchObject({ status: 'failed', reason });
    const row = await reload(name);
    expect(row).toMatchObject({ status: 'failed', failureReason: reason, renditions: [] });
    expect(await studio.renditionObjects(row.id)).toEqual({});
    if (name === 'tampered') expect(row.sha256Verified).toBe((await reload('video')).sha256Verified); // recorded either way
  });

  it('leaves the scratch folder empty after every job, and marks every outbox row completed', async () => {
    expect(await readdir(scratch.directory)).toEqual(['owner.json']);
    const rows = await studio.prisma.outboxMessage.findMany({ where: { id: { in: studio.outboxIds } } });
    expect(rows.every((r) => r.completedAt !== null)).toBe(true);
  });

  it('consumes the grant on success: the worker then gets no transcode credentials for that media', async () => {
    const row = await reload('video');
    const grants = await studio.prisma.transcodeGrant.findMany({ where: { mediaId: row.id } });
    expect(grants).toHaveLength(1);
    expect(grants[0]!.consumedAt).not.toBeNull();
    await expect(worker.get(TranscodeCredentials).forMedia(row, storageTargetRefFrom(studio.target))).rejects.toMatchObject({
      code: 'TRANSCODE_GRANT_EXPIRED',
      message: expect.stringContaining('consumed'),
    });
    // a failed job leaves its grant unconsumed (it expires on its own)
    expect((await studio.prisma.transcodeGrant.findFirstOrThrow({ where: { mediaId: media['truncated']!.id } })).consumedAt).toBeNull();
  });

  it("records every transcode credential it minted in the studio's audit log: purpose, session, exact keys, expiry", async () => {
    await (worker.get(CredentialEvents, { strict: false }) as WorkerCredentialEvents).settled();
    const row = await reload('video');
    const rows = await studio.prisma.auditEvent.findMany({
      where: { tenantId: studio.tenant.id, action: 'credential.issued', details: { path: ['mediaId'], equals: row.id } },
    });
    expect(rows.length).toBeGreaterThanOrEqual(1);
    for (const audit of rows) {
      expect(audit).toMatchObject({ actorKind: 'system', purpose: 'transcode', storageTargetId: studio.target.id });
      expect(audit.sessionName).toMatch(/^isola-transcode-/);
      expect(audit.objectKeys).toEqual(expect.arrayContaining([row.objectKey]));
      expect(audit.objectKeys.every((key) => key.includes(row.id))).toBe(true); // nothing beyond this media
      expect(audit.expiresAt!.getTime()).toBeGreaterThan(audit.createdAt.getTime());
      expect(audit.details).toMatchObject({ source: 'worker', mediaId: row.id });
    }
  });

  it('refuses, at S3 itself, credentials already issued once their grant has expired', async () => {
    const late = await studio.createSource({
      file: fixtures.path('clip.mp4'),
      filename: 'short-grant.mp4',
      contentType: 'video/mp4',
      kind: 'video',
      grantMs: 4_000,
    });
    const target = storageTargetRefFrom(studio.target);
    const access = await worker.get(TranscodeCredentials).forMedia(late, target);
    expect(access.credentials.expiresAt.getTime()).toBeLessThanOrEqual(access.grant.expiresAt.getTime());
    const store = worker.get(ObjectStoreFactory).forCredentials(target, access.credentials);
    const read = async () => {
      const object = await store.getObject(late.objectKey);
      object.body.destroy();
      return object.size;
    };
    expect(await read()).toBeGreaterThan(0);

    await sleep(access.grant.expiresAt.getTime() - Date.now() + 1_500);
    const denied = await read().catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(StorageError);
    expect(denied).toMatchObject({ code: 'PERMISSION_DENIED', details: { httpStatus: 403 } });
    // and the worker asks the broker for no new ones
    await expect(worker.get(TranscodeCredentials).forMedia(late, target)).rejects.toMatchObject({ code: 'TRANSCODE_GRANT_EXPIRED' });
  }, 20_000);

  it('re-processes with a fresh grant: one set of renditions, overwritten in place; a late duplicate does nothing', async () => {
    const row = await reload('video');
    const before = Object.fromEntries(row.renditions.map((r) => [r.kind, r.id]));
    // What the API's "re-process" does: a fresh grant, the media back to uploaded, an outbox row.
    // The relay then drops the finished job of the same id and adds a new one (outbox-relay suite);
    // this suite does not run the relay, which would take other suites' pending rows too.
    await studio.grant(row.id, 30 * 60_000, 'admin-user');
    await studio.prisma.media.update({ where: { id: row.id }, data: { status: 'uploaded' } });
    const rerun = async () => {
      await (await queue.getJob(`media:${row.id}`))?.remove();
      return (await studio.enqueue(queue, row.id)).finished() as Promise<TranscodeOutcome>;
    };
    expect(await rerun()).toMatchObject({ status: 'ready' });
    const after = await reload('video');
    expect(after.status).toBe('ready');
    expect(Object.fromEntries(after.renditions.map((r) => [r.kind, r.id]))).toEqual(before); // same rows, upserted
    expect(Object.keys(await studio.renditionObjects(row.id)).sort()).toEqual([
      'filmstrip.jpg',
      'poster.jpg',
      'proxy.mp4',
      'thumbnail.jpg',
    ]);
    const grants = await studio.prisma.transcodeGrant.findMany({ where: { mediaId: row.id } });
    expect(grants.map((g) => g.consumedAt !== null)).toEqual([true, true]);

    // A duplicate after it finished (a second outbox row, a reconciler's re-enqueue) runs, and does nothing.
    expect(await rerun()).toEqual({ status: 'skipped', reason: 'the media is ready' });
    expect((await reload('video')).renditions.map((r) => r.id).sort()).toEqual(Object.values(before).sort());
    expect(await readdir(scratch.directory)).toEqual(['owner.json']);
  }, 30_000);

  describe('a studio that revoked access', () => {
    let revoked: TestStudio;
    afterAll(async () => {
      await revoked?.destroy();
    });

    it('fails the media with STORAGE_ACCESS_REVOKED and does not retry', async () => {
      revoked = await createTestStudio(studio.admin, { label: 'transcode-revoked' });
      const target = await studio.prisma.storageTarget.update({
        where: { id: studio.target.id },
        data: { bucket: revoked.bucket, roleArn: revoked.roleArn },
      });
      try {
        const source = await studio.createSource({
          file: fixtures.path('clip.mp4'),
          filename: 'gone.mp4',
          contentType: 'video/mp4',
          kind: 'video',
        });
        await studio.admin.deleteRole(revoked.roleName); // the studio deletes Isola's role
        const job = await studio.enqueue(queue, source.id);
        expect(await job.finished()).toMatchObject({ status: 'failed', reason: 'STORAGE_ACCESS_REVOKED' });
        expect(job.attemptsMade).toBe(0);
        expect(await studio.prisma.media.findUniqueOrThrow({ where: { id: source.id } })).toMatchObject({
          status: 'failed',
          failureReason: 'STORAGE_ACCESS_REVOKED',
        });
      } finally {
        await studio.prisma.storageTarget.update({
          where: { id: target.id },
          data: { bucket: studio.studio.bucket, roleArn: studio.studio.roleArn },
        });
      }
    });
  });
});

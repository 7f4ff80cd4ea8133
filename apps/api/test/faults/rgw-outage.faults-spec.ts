import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { PrismaClient } from '@isola/database';
import request from 'supertest';
import { adminStore, openMediaStudio, type MediaStudio } from '../support/media-studio.js';
import { startTestApi } from '../support/test-app.js';
import { randomPart, UploadApi } from '../support/upload-api.js';
import { reportFault } from '@isola/local-stack';

/**
 * radosgw stopped for FAULT_RGW_DOWN_SECONDS (default 60) and started again with
 * infra/local/rgw-restart.sh --down-for (the OSD keeps the data). It stops the SHARED gateway the
 * whole machine uses, so it runs only when asked for explicitly and alone:
 *   FAULTS=rgw pnpm --filter @isola/api test:faults test/faults/rgw-outage
 * During the outage the API answers 503 STORAGE_UNAVAILABLE (retryable), never a 500; after it,
 * uploads started before the outage complete, new ones work, and nothing stored before is lost.
 */
const SELECTED = (process.env['FAULTS'] ?? '').split(',').includes('rgw');
const DOWN_SECONDS = Number(process.env['FAULT_RGW_DOWN_SECONDS'] ?? 60);
const IN_FLIGHT = 5;
const RGW_RESTART = fileURLToPath(new URL('../../../../infra/local/rgw-restart.sh', import.meta.url));
const PART = 64 * 1024;

(SELECTED ? describe : describe.skip)('fault: radosgw stopped and restarted (SHARED gateway: run alone, FAULTS=rgw)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let studio: MediaStudio;
  let api: UploadApi;

  beforeAll(async () => {
    app = await startTestApi({ LOG_LEVEL: 'silent' });
    prisma = app.get(PrismaClient);
    studio = await openMediaStudio(app, 'fault-rgw');
    api = new UploadApi(app, studio.member.cookie);
  });
  afterAll(async () => {
    await studio?.destroy();
    await app?.close();
  });

  async function gatewayAnswers(): Promise<boolean> {
    return fetch(studio.admin.env.endpoint, { signal: AbortSignal.timeout(1_000) }).then(
      () => true,
      () => false,
    );
  }

  it(
    `answers 503 STORAGE_UNAVAILABLE during a ${DOWN_SECONDS} s outage, then recovers; no upload lost`,
    async () => {
      // Before: uploads fully done, and uploads in flight (part stored, not completed yet).
      const done: { mediaId: string; key: string }[] = [];
      for (let i = 0; i < IN_FLIGHT; i += 1) {
        const upload = await api.start(PART, `before-${i}.mp4`);
        const etag = await api.putPart(upload, 1, randomPart(PART));
        await api.complete(upload.uploadId, { key: upload.key }, { parts: [{ PartNumber: 1, ETag: etag }] }).expect(200);
        done.push(upload);
      }
      const inFlight: { uploadId: string; key: string; mediaId: string; etag: string; completed: boolean }[] = [];
      for (let i = 0; i < IN_FLIGHT; i += 1) {
        const upload = await api.start(PART, `inflight-${i}.mp4`);
        inFlight.push({ ...upload, etag: await api.putPart(upload, 1, randomPart(PART)), completed: false });
      }

      const restart = spawn('bash', [RGW_RESTART, '--down-for', String(DOWN_SECONDS)], { stdio: ['ignore', 'pipe', 'pipe'] });
      const output: string[] = [];
      restart.stdout.on('data', (c: Buffer) => output.push(c.toString()));
      restart.stderr.on('data', (c: Buffer) => output.push(c.toString()));
      const restarted = new Promise<number | null>((resolve) => restart.once('exit', (code) => resolve(code)));
      let outageStart = Date.now();
      for (let i = 0; i < 200 && (await gatewayAnswers()); i += 1) await new Promise((r) => setTimeout(r, 100));
      outageStart = Date.now();

      // During: every storage-touching route answers, and never a 500.
      const answers: Record<string, number> = {};
      const badRetryable: string[] = [];
      let finished = false;
      void restarted.then(() => (finished = true));
      while (!finished && !(await gatewayAnswers())) {
        const calls = await Promise.all([
          api.create({ filename: 'during.mp4', type: 'video/mp4', metadata: { size: PART } }),
          api.list(inFlight[0]!.uploadId, { key: inFlight[0]!.key }),
          api.complete(inFlight[0]!.uploadId, { key: inFlight[0]!.key }, { parts: [{ PartNumber: 1, ETag: inFlight[0]!.etag }] }),
          request(app.getHttpServer()).get(`/api/media/${done[0]!.mediaId}/links`).set('cookie', studio.member.cookie),
        ]);
        calls.forEach((res, i) => {
          const label = `${['create', 'list', 'complete', 'links'][i]} ${res.status} ${(res.body as { code?: string }).code ?? ''}`.trim();
          answers[label] = (answers[label] ?? 0) + 1;
          if (res.status === 503 && (res.body as { details?: { retryable?: boolean } }).details?.retryable !== true)
            badRetryable.push(label);
          if (i === 2 && res.status === 200) inFlight[0]!.completed = true;
        });
        await new Promise((r) => setTimeout(r, 500));
      }
      const exitCode = await restarted;
      const outageMs = Date.now() - outageStart;

      // After: the in-flight uploads complete, a new one works, everything stored before is still there.
      for (const upload of inFlight) {
        if (upload.completed) continue;
        const res = await api.complete(upload.uploadId, { key: upload.key }, { parts: [{ PartNumber: 1, ETag: upload.etag }] });
        upload.completed = res.status === 200;
      }
      const fresh = await api.start(PART, 'after.mp4');
      const freshEtag = await api.putPart(fresh, 1, randomPart(PART));
      const freshDone = await api.complete(fresh.uploadId, { key: fresh.key }, { parts: [{ PartNumber: 1, ETag: freshEtag }] });
      const store = adminStore(studio);
      let missingObjects = 0;
      for (const u of [...done, ...inFlight, fresh]) {
        const head = await store.headObject(u.key).catch(() => null);
        if (!head) missingObjects += 1;
      }
      store.destroy();
      const notUploaded = await prisma.media.count({
        where: { id: { in: [...done, ...inFlight, fresh].map((u) => u.mediaId) }, status: { notIn: ['uploaded', 'transcoding', 'ready'] } },
      });
      const serverErrors = Object.entries(answers)
        .filter(([k]) => / 5\d\d/.test(k) && !k.includes('503 STORAGE_UNAVAILABLE'))
        .reduce((n, [, v]) => n + v, 0);
      reportFault(
        'radosgw outage',
        `radosgw stopped ${DOWN_SECONDS} s (observed ${outageMs} ms) and restarted (rgw-restart.sh exit ${exitCode})`,
        {
          inFlightUploadsNotCompleted: inFlight.filter((u) => !u.completed).length,
          objectsMissing: missingObjects,
          mediaNotUploaded: notUploaded,
          non503ServerErrors: serverErrors,
          unavailableNotRetryable: badRetryable.length,
        },
        `answers during the outage: ${JSON.stringify(answers)}`,
      );
      if (exitCode !== 0) throw new Error(`rgw-restart.sh exited ${exitCode}:\n${output.join('')}`);
      expect(Object.keys(answers).some((k) => k.includes('503 STORAGE_UNAVAILABLE'))).toBe(true);
      expect(freshDone.status).toBe(200);
      expect({ serverErrors, badRetryable, missingObjects, notUploaded }).toEqual({
        serverErrors: 0,
        badRetryable: [],
        missingObjects: 0,
        notUploaded: 0,
      });
      expect(inFlight.filter((u) => !u.completed)).toEqual([]);
    },
    (DOWN_SECONDS + 120) * 1_000,
  );
});

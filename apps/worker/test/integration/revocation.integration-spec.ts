import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { CredentialEvents } from '@isola/credentials';
import { JobName, QueueName, type JobEnvelope } from '@isola/contracts';
import { createStorageTarget } from '@isola/database/seed';
import { createWorkerApp } from '../../src/app.factory.js';
import { loadWorkerConfig } from '../../src/config/env.schema.js';
import { RevocationRecheckService } from '../../src/revocation/revocation-recheck.service.js';
import { RevocationRepository } from '../../src/revocation/revocation.repository.js';
import type { WorkerCredentialEvents } from '../../src/storage/worker-credential-events.js';
import { MediaFixtures } from './support/media-fixtures.js';
import { StudioHarness, TRANSCODE_JOB_OPTIONS, waitFor } from './support/studio-harness.js';

/**
 * Revocation in the worker against the real RGW, PostgreSQL and Redis: a transcode that finds the
 * studio's role deleted fails its media with STORAGE_ACCESS_REVOKED and marks the target revoked;
 * the re-check loop (backoff in milliseconds) keeps it revoked while the role is gone, restores it
 * once the role is back, and the stopped media is queued again and transcoded. Claims are exclusive.
 */
describe('revocation re-checks in the worker (RGW, PostgreSQL, Redis)', () => {
  let studio: StudioHarness;
  let fixtures: MediaFixtures;
  let worker: INestApplicationContext;
  let queue: Queue;

  const target = () => studio.prisma.storageTarget.findUniqueOrThrow({ where: { id: studio.target.id } });
  const noticeKinds = async () =>
    (await studio.prisma.notice.findMany({ where: { tenantId: studio.tenant.id }, orderBy: { createdAt: 'asc' } })).map((n) => n.kind);

  beforeAll(async () => {
    [studio, fixtures] = await Promise.all([StudioHarness.open('revocation'), MediaFixtures.create()]);
    worker = await createWorkerApp(
      loadWorkerConfig(
        studio.workerEnv({
          RECONCILER_ENABLED: 'false',
          MIGRATION_ENABLED: 'false',
          REVOCATION_RECHECK_ENABLED: 'true', // the loop under test (the harness turns it off by default)
          REVOCATION_RECHECK_INTERVAL_MS: '50',
          REVOCATION_RECHECK_BASE_MS: '300',
          REVOCATION_RECHECK_MAX_MS: '600',
        }),
      ),
    );
    await worker.init();
    queue = worker.get<Queue>(getQueueToken(QueueName.Media), { strict: false });
  });

  afterAll(async () => {
    await worker?.close();
    await studio?.close();
    await fixtures?.dispose();
  });

  it('marks the target revoked from a transcode, re-checks it, restores it when the role is back and transcodes the media', async () => {
    const photo = await fixtures.jpegWithOrientation('photo.jpg', 320, 240, 1);
    const media = await studio.createSource({ file: photo, filename: 'photo.jpg', contentType: 'image/jpeg', kind: 'image' });
    await studio.admin.deleteRole(studio.studio.roleName);

    const job = await studio.enqueue(queue, media.id);
    expect(await job.finished()).toMatchObject({ status: 'failed', reason: 'STORAGE_ACCESS_REVOKED' });
    await (worker.get(CredentialEvents, { strict: false }) as WorkerCredentialEvents).settled();
    expect(await target()).toMatchObject({ status: 'revoked', statusBeforeRevocation: 'active' });
    expect(await noticeKinds()).toEqual(['target.revoked']);

    // Denied re-checks: counted, each waiting longer (300 ms, then 600 ms: the cap).
    const denied = await waitFor('two denied re-checks', async () => {
      const row = await target();
      return row.recheckAttempts >= 2 && row;
    });
    expect(denied.status).toBe('revoked');
    expect(denied.nextCheckAt!.getTime() - denied.lastCheckAt!.getTime()).toBe(600);
    expect(await noticeKinds()).toEqual(['target.revoked']);

    await studio.admin.ensureRole({
      roleName: studio.studio.roleName,
      trustedPrincipalArns: studio.admin.platformPrincipalArns(),
      permissionPolicy: studio.admin.bucketRolePolicy(studio.studio.bucket),
    });
    await waitFor('the target restored', async () => (await target()).status === 'active');
    expect(await noticeKinds()).toEqual(['target.revoked', 'target.restored']);

    // The media the revocation stopped is queued again with a fresh grant (the relay's part done by hand here).
    expect(await studio.prisma.media.findUniqueOrThrow({ where: { id: media.id } })).toMatchObject({
      status: 'uploaded',
      failureReason: null,
    });
    const outbox = await studio.prisma.outboxMessage.findFirstOrThrow({
      where: { jobName: JobName.MediaTranscode, relayedAt: null, payload: { path: ['mediaId'], equals: media.id } },
    });
    studio.outboxIds.push(outbox.id);
    const envelope: JobEnvelope<typeof JobName.MediaTranscode> = {
      outboxId: outbox.id,
      correlationId: outbox.correlationId,
      payload: { mediaId: media.id },
    };
    await job.remove();
    const again = await queue.add(JobName.MediaTranscode, envelope, { ...TRANSCODE_JOB_OPTIONS, jobId: `media:${media.id}` });
    expect(await again.finished()).toMatchObject({ status: 'ready', kind: 'image' });
    expect(await studio.prisma.media.findUniqueOrThrow({ where: { id: media.id } })).toMatchObject({ status: 'ready' });
  }, 90_000); // seconds when alone; a loaded machine (2 cores) needs the slack

  it('hands a due target to one claimer only', async () => {
    // Due in the year 2000: no other suite's target is due then, so only this one can be claimed (the
    // worker's own loop, which would take it at once, is stopped first).
    await worker.get(RevocationRecheckService).onApplicationShutdown();
    const long = new Date('2000-01-01T00:00:00.000Z');
    const row = await createStorageTarget(studio.prisma, {
      tenantId: studio.tenant.id,
      mode: 'isolated',
      status: 'revoked',
      nextCheckAt: long,
    });
    const repository = worker.get(RevocationRepository);
    const now = new Date(long.getTime() + 1_000);
    const lease = new Date(now.getTime() + 120_000);
    const claims = await Promise.all([1, 2, 3, 4].map(() => repository.claimDue(now, lease, 10)));
    expect(claims.flat().map((t) => t.id)).toEqual([row.id]);
    expect((await studio.prisma.storageTarget.findUniqueOrThrow({ where: { id: row.id } })).nextCheckAt).toEqual(lease);
    expect(await repository.claimDue(now, lease, 10)).toEqual([]); // leased: not due again before the lease ends
    await studio.prisma.storageTarget.delete({ where: { id: row.id } });
  });
});

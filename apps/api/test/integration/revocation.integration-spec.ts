import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { CredentialBroker, CredentialEvents, StsGateway } from '@isola/credentials';
import { PrismaClient, type Media } from '@isola/database';
import { createMedia } from '@isola/database/seed';
import { ManualClock } from '@isola/runtime';
import { ObjectStoreFactory, isStorageError } from '@isola/tenant-storage';
import { createWorkerApp, loadWorkerConfig } from '@isola/worker';
import { ApiException } from '../../src/common/api.exception.js';
import type { ApiCredentialEvents } from '../../src/modules/storage/api-credential-events.js';
import { toTargetRef } from '../../src/modules/storage/storage-targets.repository.js';
import { StorageErrorMapper } from '../../src/modules/uploads/storage-error.mapper.js';
import { adminStore, openMediaStudio, type MediaStudio } from '../support/media-studio.js';
import { WEB_ORIGIN, startTestApi } from '../support/test-app.js';
import { testEnv } from '../support/test-config.js';
import { UploadApi, randomPart } from '../support/upload-api.js';

const MiB = 1024 * 1024;

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Issue 6 acceptance, revocation, against the real RGW, PostgreSQL and a real worker: a studio in
 * use (links minted, an upload in flight) deletes Isola's role; the next call's S3 403 is confirmed by
 * an AssumeRole and the target becomes `revoked` with one notice and one audit row; meanwhile every
 * route that would mint answers STORAGE_ACCESS_REVOKED without calling STS; an out-of-scope 403 does
 * not revoke; re-creating the role lets the worker's re-check (its clock moved by hand, backoff in
 * milliseconds) return the target to `active` by itself, and the interrupted upload completes.
 */
describe('revocation of an isolated studio (RGW, PostgreSQL, worker)', () => {
  let app: INestApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaClient;
  let studio: MediaStudio;
  let uploads: UploadApi;
  const workerClock = new ManualClock(new Date());

  let ready: Media;
  let upload: { uploadId: string; key: string; mediaId: string };
  let part1: string;
  const part2Bytes = randomPart(1024);

  const http = () => request(app.getHttpServer());
  const events = () => app.get(CredentialEvents, { strict: false }) as ApiCredentialEvents;
  const target = () => prisma.storageTarget.findUniqueOrThrow({ where: { id: studio.target.id } });
  const notices = () => prisma.notice.findMany({ where: { tenantId: studio.tenant.id }, orderBy: { createdAt: 'asc' } });
  const statusAudits = () =>
    prisma.auditEvent.findMany({
      where: { storageTargetId: studio.target.id, action: { in: ['target.revoked', 'target.restored'] } },
      orderBy: { createdAt: 'asc' },
    });
  const links = (id: string) => http().get(`/api/media/${id}/links`).set('cookie', studio.member.cookie);

  beforeAll(async () => {
    app = await startTestApi();
    prisma = app.get(PrismaClient);
    studio = await openMediaStudio(app, 'revocation');
    uploads = new UploadApi(app, studio.member.cookie);
    worker = await createWorkerApp(
      loadWorkerConfig(
        testEnv({
          // only the revocation loop: other suites' rows are not this worker's business
          OUTBOX_RELAY_ENABLED: 'false',
          TRANSCODE_ENABLED: 'false',
          RECONCILER_ENABLED: 'false',
          MIGRATION_ENABLED: 'false',
          REVOCATION_RECHECK_INTERVAL_MS: '50',
          REVOCATION_RECHECK_BASE_MS: '200',
          REVOCATION_RECHECK_MAX_MS: '1000',
        }),
      ),
      workerClock,
    );
    await worker.init();
  });

  afterAll(async () => {
    await worker?.close();
    await studio?.destroy();
    await app?.close();
  });

  it('a studio in use: links minted, an upload in flight', async () => {
    ready = await createMedia(prisma, { storageTargetId: studio.target.id, status: 'ready', filename: 'shot.mov' });
    const store = adminStore(studio);
    await store.putObject({ key: ready.objectKey, body: 'source bytes', contentType: 'video/quicktime' });
    await store.putObject({ key: 'isola/private/notes.txt', body: 'not for Isola', contentType: 'text/plain' });
    store.destroy();
    expect((await links(ready.id)).status).toBe(200);

    upload = await uploads.start(5 * MiB + part2Bytes.length, 'take.mov', 'video/quicktime');
    part1 = await uploads.putPart(upload, 1, randomPart(5 * MiB));
  });

  it('does not revoke on an out-of-scope 403 (a link credential reading outside the media prefix)', async () => {
    const ref = toTargetRef(studio.target);
    const credentials = await app.get(CredentialBroker).getCredentials(ref, { purpose: 'link' });
    const outside = app.get(ObjectStoreFactory).forCredentials(ref, credentials);
    const error = await outside.headObject('isola/private/notes.txt').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isStorageError(error) && error.code).toBe('PERMISSION_DENIED');
    const verdict = await app.get(StorageErrorMapper, { strict: false }).toApi(error, ref, { purpose: 'link' }, {});
    expect(verdict).toBeInstanceOf(ApiException);
    expect({ status: (verdict as ApiException).getStatus(), code: (verdict as ApiException).code }).toEqual({
      status: 502,
      code: 'PERMISSION_DENIED',
    });
    await events().settled();
    expect((await target()).status).toBe('active');
    expect(await notices()).toEqual([]);
  });

  it('takes a role deleted and created again between two calls in its stride: the stale credential is replaced, nothing revoked', async () => {
    expect((await uploads.list(upload.uploadId, { key: upload.key })).status).toBe(200); // the upload's credential, cached
    // The studio re-creates the role (same name, same permissions) before Isola sees it gone: S3 refuses
    // the old role's sessions, while a fresh AssumeRole works — the API retries once with fresh ones.
    await studio.admin.deleteRole(studio.studio.roleName);
    await studio.admin.ensureRole({
      roleName: studio.studio.roleName,
      trustedPrincipalArns: studio.admin.platformPrincipalArns(),
      permissionPolicy: studio.admin.bucketRolePolicy(studio.studio.bucket),
    });
    const listed = await uploads.list(upload.uploadId, { key: upload.key });
    expect({ status: listed.status, parts: (listed.body as unknown[]).length }).toEqual({ status: 200, parts: 1 });
    await events().settled();
    expect((await target()).status).toBe('active');
    expect(await notices()).toEqual([]);
  });

  it('marks the target revoked once the next S3 403 is confirmed by AssumeRole: one notice, one audit row', async () => {
    await studio.admin.deleteRole(studio.studio.roleName);

    // The in-flight upload's cached credential stops at once; the broker confirms with a fresh AssumeRole.
    const listed = await uploads.list(upload.uploadId, { key: upload.key });
    expect({ status: listed.status, code: listed.body.code }).toEqual({ status: 409, code: 'STORAGE_ACCESS_REVOKED' });
    await events().settled();

    const row = await target();
    expect(row).toMatchObject({ status: 'revoked', statusBeforeRevocation: 'active', recheckAttempts: 0 });
    expect(row.nextCheckAt!.getTime() - row.revokedAt!.getTime()).toBe(60_000);
    const [notice, ...more] = await notices();
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ kind: 'target.revoked', details: { targetId: row.id, bucket: studio.studio.bucket } });
    expect((await statusAudits()).map((a) => [a.action, a.actorKind])).toEqual([['target.revoked', 'system']]);

    const listedNotices = await http().get('/api/tenant/notices').set('cookie', studio.tenantAdmin.cookie).expect(200);
    expect(listedNotices.body).toMatchObject({ undismissed: 1, nextCursor: null, items: [{ id: notice!.id, kind: 'target.revoked' }] });
    await http().get('/api/tenant/notices').set('cookie', studio.member.cookie).expect(403);
  });

  it('answers STORAGE_ACCESS_REVOKED on every minting route without calling STS while revoked', async () => {
    // Every AssumeRole of the API's broker goes through this gateway: count them.
    const gateway = app.get(StsGateway, { strict: false });
    const assumeRole = gateway.assumeRole.bind(gateway);
    let stsCalls = 0;
    gateway.assumeRole = (input) => {
      stsCalls += 1;
      return assumeRole(input);
    };
    try {
      const admin = (req: request.Test) => req.set('origin', WEB_ORIGIN).set('cookie', studio.tenantAdmin.cookie);
      const answers = {
        signPart: await uploads.sign(upload.uploadId, 2, { key: upload.key }),
        listParts: await uploads.list(upload.uploadId, { key: upload.key }),
        complete: await uploads.complete(upload.uploadId, { key: upload.key }, { parts: [{ PartNumber: 1, ETag: part1 }] }),
        create: await uploads.create({ filename: 'new.mov', type: 'video/quicktime', metadata: { size: 10 } }),
        links: await links(ready.id),
        reprocess: await admin(http().post(`/api/media/${ready.id}/reprocess`)),
        deleteInFlight: await admin(http().delete(`/api/media/${upload.mediaId}`)),
      };
      for (const [route, res] of Object.entries(answers)) {
        expect({ route, status: res.status, code: res.body.code }).toEqual({ route, status: 409, code: 'STORAGE_ACCESS_REVOKED' });
      }
      expect(answers.signPart.body.message).toMatch(/restore the role/);
      expect(stsCalls).toBe(0);
    } finally {
      Reflect.deleteProperty(gateway, 'assumeRole'); // the prototype's method again
    }
    // The upload in flight is left as it was: open, its media still uploading, nothing aborted.
    expect(await prisma.multipartUpload.findUniqueOrThrow({ where: { mediaId: upload.mediaId } })).toMatchObject({ status: 'open' });
    expect(await prisma.media.findUniqueOrThrow({ where: { id: upload.mediaId } })).toMatchObject({ status: 'uploading' });
    expect(await prisma.media.findUniqueOrThrow({ where: { id: ready.id } })).toMatchObject({ status: 'ready' });
    expect(await notices()).toHaveLength(1);
  });

  it('lets a tenant admin ask for a re-check now: still revoked while the role is gone', async () => {
    const recheck = (cookie: string) =>
      http().post(`/api/tenant/storage/targets/${studio.target.id}/recheck`).set('origin', WEB_ORIGIN).set('cookie', cookie);
    await recheck(studio.member.cookie).expect(403);
    const res = await recheck(studio.tenantAdmin.cookie).expect(200);
    expect(res.body).toMatchObject({ targetId: studio.target.id, outcome: 'still-revoked', status: 'revoked' });
    await events().settled();
    expect(await notices()).toHaveLength(1);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { storageTargetId: studio.target.id, action: 'target.recheck' } });
    expect(audit).toMatchObject({
      actorKind: 'user',
      actorUserId: studio.tenantAdmin.id,
      sessionName: null,
      details: { outcome: 'still-revoked' },
    });
  });

  it('keeps re-checking on a capped backoff while the role is gone', async () => {
    workerClock.set(new Date(Date.now() + 61_000)); // the first re-check is due a minute after the revocation
    const row = await waitFor('a denied re-check', async () => {
      const current = await target();
      return current.recheckAttempts >= 1 && current;
    });
    expect(row.status).toBe('revoked');
    expect(row.nextCheckAt!.getTime() - row.lastCheckAt!.getTime()).toBe(400); // 200 ms · 2^1
    expect(await notices()).toHaveLength(1);
  });

  it('returns the target to active by itself once the role is back, with a notice, and the upload resumes', async () => {
    await studio.admin.ensureRole({
      roleName: studio.studio.roleName,
      trustedPrincipalArns: studio.admin.platformPrincipalArns(),
      permissionPolicy: studio.admin.bucketRolePolicy(studio.studio.bucket),
    });
    const deniedBefore = (await target()).recheckAttempts;
    const restored = await waitFor('the worker to restore the target', async () => {
      workerClock.advance(1_000); // every pending re-check comes due
      const current = await target();
      return current.status === 'active' && current;
    });
    expect(restored).toMatchObject({ recheckAttempts: 0, statusBeforeRevocation: null, revokedAt: null, nextCheckAt: null });
    expect((await notices()).map((n) => n.kind)).toEqual(['target.revoked', 'target.restored']);
    const audits = await statusAudits();
    expect(audits.map((a) => [a.action, a.actorKind, a.purpose])).toEqual([
      ['target.revoked', 'system', null],
      ['target.restored', 'system', 'verify'],
    ]);
    // RGW keeps nothing about a deleted role: the first re-check after re-creating it succeeds.
    expect(audits[1]!.details).toMatchObject({ by: 'recheck', recheckAttempts: deniedBefore });

    // The same upload carries on: the remaining part, then completion.
    const part2 = await uploads.putPart(upload, 2, part2Bytes);
    const completed = await uploads.complete(
      upload.uploadId,
      { key: upload.key },
      {
        parts: [
          { PartNumber: 1, ETag: part1 },
          { PartNumber: 2, ETag: part2 },
        ],
      },
    );
    expect({ status: completed.status, body: completed.body }).toMatchObject({ status: 200, body: { status: 'uploaded' } });
    expect(await prisma.media.findUniqueOrThrow({ where: { id: upload.mediaId } })).toMatchObject({
      status: 'uploaded',
      sizeBytes: BigInt(5 * MiB + part2Bytes.length),
    });
    expect((await links(ready.id)).status).toBe(200);
    const notRevoked = await http()
      .post(`/api/tenant/storage/targets/${studio.target.id}/recheck`)
      .set('origin', WEB_ORIGIN)
      .set('cookie', studio.tenantAdmin.cookie);
    expect({ status: notRevoked.status, code: notRevoked.body.code }).toEqual({ status: 409, code: 'TARGET_NOT_REVOKED' });

    const dismissed = await http()
      .post(`/api/tenant/notices/${(await notices())[0]!.id}/dismiss`)
      .set('origin', WEB_ORIGIN)
      .set('cookie', studio.tenantAdmin.cookie)
      .expect(200);
    expect(dismissed.body).toMatchObject({ kind: 'target.revoked', dismissedAt: expect.any(String) });
    const listed = await http().get('/api/tenant/notices?limit=1').set('cookie', studio.tenantAdmin.cookie).expect(200);
    expect(listed.body).toMatchObject({ undismissed: 1, items: [{ kind: 'target.restored', dismissedAt: null }] });
    const next = await http()
      .get(`/api/tenant/notices?limit=1&cursor=${listed.body.nextCursor as string}`)
      .set('cookie', studio.tenantAdmin.cookie)
      .expect(200);
    expect(next.body).toMatchObject({ nextCursor: null, items: [{ kind: 'target.revoked' }] });
  });
});

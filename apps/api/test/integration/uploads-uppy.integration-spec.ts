import { createHash } from 'node:crypto';
import type { AddressInfo, Server } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { GetObjectTaggingCommand } from '@aws-sdk/client-s3';
import { JobName, S3_MIN_PART_BYTES } from '@isola/contracts';
import { CredentialEvents, type CredentialIssuedEvent } from '@isola/credentials';
import { PrismaClient } from '@isola/database';
import { adminStore, openMediaStudio, type MediaStudio } from '../support/media-studio.js';
import { startTestApi, WEB_ORIGIN } from '../support/test-app.js';
import { createNodeUppy, installUppyNodeGlobals, randomBlob, socketBytesMeter, type UppyNodeHarness } from '../support/uppy-node.js';

const MiB = 1024 * 1024;

/**
 * The acceptance test of direct uploads: the real Uppy client (@uppy/core + @uppy/aws-s3, Companion
 * mode, multipart) against the API listening on a real port, parts PUT straight into a throwaway
 * studio bucket on the local Ceph RGW.
 */
describe('uploads with the real Uppy client (RGW, PostgreSQL)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let studio: MediaStudio;
  let apiOrigin: string;
  let harness: UppyNodeHarness | undefined;
  const issued: CredentialIssuedEvent[] = [];

  beforeAll(async () => {
    app = await startTestApi();
    await app.listen(0, '127.0.0.1');
    apiOrigin = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    prisma = app.get(PrismaClient);
    studio = await openMediaStudio(app, 'uppy');
    // every credential the broker mints, to find in the audit log afterwards
    const events = app.get(CredentialEvents, { strict: false });
    const onIssued = events.onIssued.bind(events);
    events.onIssued = (event) => {
      issued.push(event);
      onIssued(event);
    };
  });
  afterEach(() => {
    harness?.restore();
    harness = undefined;
  });
  afterAll(async () => {
    await studio?.destroy();
    await app?.close();
  });

  async function readObjectAsAdmin(key: string): Promise<{ sha256: string; size: number }> {
    const store = adminStore(studio);
    const object = await store.getObject(key);
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of object.body) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    store.destroy();
    return { sha256: hash.digest('hex'), size };
  }

  it('uploads 64 MiB in ≥ 8 parts straight to the bucket; the API reads only JSON', async () => {
    const size = 64 * MiB;
    const { blob, sha256 } = randomBlob(size);
    harness = installUppyNodeGlobals(apiOrigin, { cookie: studio.member.cookie, origin: WEB_ORIGIN });
    const meter = socketBytesMeter(app.getHttpServer() as Server);

    const started = Date.now();
    meter.start();
    const { uppy } = createNodeUppy(apiOrigin, { name: 'Rushes día 1.mov', type: 'video/quicktime', data: blob, meta: { size, sha256 } });
    const result = await uppy.upload();
    const apiBytes = meter.stop();
    meter.dispose();
    const seconds = (Date.now() - started) / 1000;

    expect(result?.failed ?? []).toEqual([]);
    expect(result?.successful).toHaveLength(1);
    const parts = Math.ceil(size / S3_MIN_PART_BYTES);
    expect(parts).toBeGreaterThanOrEqual(8);
    expect(harness.partPuts).toEqual(Array.from({ length: parts }, (_, i) => i + 1));
    // create + one signature per part + complete, nothing else
    expect(harness.apiCalls).toHaveLength(parts + 2);
    console.log(
      `64 MiB via Uppy: ${parts} parts in ${seconds.toFixed(1)} s; the API read ${apiBytes} bytes (${((apiBytes / size) * 100).toFixed(4)}%)`,
    );
    expect(apiBytes).toBeLessThan(size * 0.001);

    const location = (result?.successful?.[0]?.response?.body as { location?: string } | undefined)?.location ?? '';
    const mediaId = location.replace('/api/media/', '');
    const media = await prisma.media.findUniqueOrThrow({
      where: { id: mediaId },
      include: { multipartUpload: true, transcodeGrants: true },
    });
    expect(media).toMatchObject({
      tenantId: studio.tenant.id,
      storageTargetId: studio.target.id,
      status: 'uploaded',
      kind: 'video',
      filename: 'Rushes día 1.mov',
      sizeBytes: BigInt(size),
      sha256,
      createdById: studio.member.id,
    });
    expect(media.objectKey).toBe(`isola/media/${mediaId}/source/Rushes día 1.mov`);
    expect(media.multipartUpload?.status).toBe('completed');
    expect(media.transcodeGrants).toHaveLength(1);
    const grant = media.transcodeGrants[0]!;
    expect(grant.issuedBy).toBe('system');
    expect(grant.expiresAt.getTime() - media.updatedAt.getTime()).toBeGreaterThan(29 * 60_000);
    expect(grant.expiresAt.getTime() - media.updatedAt.getTime()).toBeLessThanOrEqual(30 * 60_000 + 5_000);
    const outbox = await prisma.outboxMessage.findMany({ where: { jobName: JobName.MediaTranscode, payload: { equals: { mediaId } } } });
    expect(outbox).toHaveLength(1);

    // the bytes in the studio's bucket are the bytes generated
    await expect(readObjectAsAdmin(media.objectKey)).resolves.toEqual({ sha256, size });
    // and the source carries the tag the sources-to-IA lifecycle rule matches (set after completion:
    // RGW 16 drops tags given at CreateMultipartUpload)
    const tagging = await studio.admin.s3.send(new GetObjectTaggingCommand({ Bucket: studio.studio.bucket, Key: media.objectKey }));
    expect(tagging.TagSet).toEqual([{ Key: 'isola-object-kind', Value: 'source' }]);

    const audit = await prisma.auditEvent.findMany({
      where: { tenantId: studio.tenant.id, details: { path: ['mediaId'], equals: mediaId } },
    });
    const actions = audit.map((row) => row.action);
    expect(actions.filter((a) => a === 'upload.create')).toHaveLength(1);
    expect(actions.filter((a) => a === 'upload.sign_part')).toHaveLength(parts);
    expect(actions.filter((a) => a === 'upload.complete')).toHaveLength(1);
    expect(audit.find((row) => row.action === 'upload.complete')?.details).toMatchObject({ sourceTagged: true });
    expect(actions.filter((a) => a === 'upload.verify')).toHaveLength(1);
    const create = audit.find((row) => row.action === 'upload.create')!;
    expect(create).toMatchObject({ purpose: 'upload', actorUserId: studio.member.id, storageTargetId: studio.target.id });
    expect(create.objectKeys).toEqual([`isola/media/${mediaId}/source/*`]); // a Unicode key: the source folder (see buildSessionPolicy)
    expect(create.sessionName).toBeTruthy();
    expect(create.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    for (const row of audit.filter((r) => r.action === 'upload.sign_part')) {
      expect(row).toMatchObject({ purpose: 'upload', sessionName: create.sessionName, objectKeys: [media.objectKey] });
    }
  });

  it('resumes an interrupted upload in a fresh Uppy: only the missing parts are sent', async () => {
    const size = 24 * MiB + 123; // 5 parts
    const { blob, sha256 } = randomBlob(size);
    harness = installUppyNodeGlobals(apiOrigin, { cookie: studio.member.cookie, origin: WEB_ORIGIN });
    const file = { name: 'interrupted.mp4', type: 'video/mp4', data: blob, meta: { size, sha256 } };

    // The first client stops after three parts (a closed tab): pausing aborts it between parts.
    const first = createNodeUppy(apiOrigin, file);
    const stopped = new Promise<void>((resolve) => {
      let parts = 0;
      first.uppy.on(
        's3-multipart:part-uploaded' as never,
        (() => {
          parts += 1;
          if (parts === 3) {
            first.uppy.pauseResume(first.fileId);
            resolve();
          }
        }) as never,
      );
    });
    void first.uppy.upload();
    await stopped;
    await new Promise((resolve) => setTimeout(resolve, 200)); // nothing more may leave the first client
    expect(harness.partPuts).toEqual([1, 2, 3]);
    const resume = (first.uppy.getFile(first.fileId) as unknown as { s3Multipart: { uploadId: string; key: string } }).s3Multipart;
    expect(resume.uploadId).toBeTruthy();

    // A new Uppy (after a reload Golden Retriever restores `s3Multipart`): Uppy lists the parts
    // through the API and sends only the missing ones.
    const callsBefore = harness.apiCalls.length;
    const second = createNodeUppy(apiOrigin, file, resume);
    const result = await second.uppy.upload();
    expect(result?.failed ?? []).toEqual([]);
    expect(harness.partPuts).toEqual([1, 2, 3, 4, 5]);
    const uploadPath = `/api/s3/multipart/${encodeURIComponent(resume.uploadId)}`;
    expect(harness.apiCalls.slice(callsBefore).map((call) => decodeURIComponent(call))).toEqual(
      [`GET ${uploadPath}`, `GET ${uploadPath}/4`, `GET ${uploadPath}/5`, `POST ${uploadPath}/complete`].map((call) =>
        decodeURIComponent(call),
      ),
    );

    const media = await prisma.media.findFirstOrThrow({ where: { tenantId: studio.tenant.id, filename: 'interrupted.mp4' } });
    expect(media.status).toBe('uploaded');
    await expect(readObjectAsAdmin(media.objectKey)).resolves.toEqual({ sha256, size });
    const listed = await prisma.auditEvent.count({ where: { tenantId: studio.tenant.id, action: 'upload.list_parts' } });
    expect(listed).toBe(1);
  });

  it('every credential minted for these uploads is in the audit log, with its tenant and purpose', async () => {
    expect(issued.length).toBeGreaterThan(0);
    const rows = await prisma.auditEvent.findMany({ where: { tenantId: studio.tenant.id, sessionName: { not: null } } });
    for (const event of issued) {
      const row = rows.find((r) => r.sessionName === event.sessionName && r.purpose === event.scope.purpose);
      expect({ sessionName: event.sessionName, purpose: event.scope.purpose, found: row !== undefined }).toEqual({
        sessionName: event.sessionName,
        purpose: event.scope.purpose,
        found: true,
      });
      expect(row!.tenantId).toBe(event.target.tenantId);
      expect(row!.storageTargetId).toBe(event.target.id);
    }
  });
});

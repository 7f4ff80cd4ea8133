import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { MAX_SIGN_BATCH_PARTS, S3_MIN_PART_BYTES } from '@isola/contracts';
import { PrismaClient } from '@isola/database';
import { createStorageTarget } from '@isola/database/seed';
import { openMediaStudio, signedIn, type MediaStudio, type SignedInUser } from '../support/media-studio.js';
import { md5Base64, randomPart, UploadApi } from '../support/upload-api.js';
import { createTestTenant, startTestApi, WEB_ORIGIN } from '../support/test-app.js';

const MiB = 1024 * 1024;
const TiB = 1024 ** 4;

/** Bad input to the upload routes: each answer a 4xx with its code, and nothing half-written left behind. */
describe('upload API: bad input, states and isolation (RGW, PostgreSQL)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let studio: MediaStudio;
  let api: UploadApi;

  beforeAll(async () => {
    app = await startTestApi();
    prisma = app.get(PrismaClient);
    studio = await openMediaStudio(app, 'upload-input');
    api = new UploadApi(app, studio.member.cookie);
  });
  afterAll(async () => {
    await studio?.destroy();
    await app?.close();
  });

  async function rowsOf(tenantId: string): Promise<{ media: number; uploads: number }> {
    return {
      media: await prisma.media.count({ where: { tenantId } }),
      uploads: await prisma.multipartUpload.count({ where: { tenantId } }),
    };
  }

  /** Sends a create that must fail with `status`/`code`, and checks it wrote nothing. */
  async function refusedCreate(body: unknown, status: number, code: string, client: UploadApi = api, tenantId = studio.tenant.id) {
    const before = await rowsOf(tenantId);
    const res = await client.create(body);
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(await rowsOf(tenantId)).toEqual(before);
    return res;
  }

  describe('create', () => {
    it('refuses single-request uploads: GET /s3/params → 400 MULTIPART_REQUIRED', async () => {
      const res = await request(app.getHttpServer())
        .get('/api/s3/params')
        .query({ filename: 'a.mp4', type: 'video/mp4' })
        .set('cookie', studio.member.cookie)
        .expect(400);
      expect(res.body.code).toBe('MULTIPART_REQUIRED');
    });

    it.each([
      ['missing', undefined],
      ['zero', 0],
      ['negative', -5],
      ['fractional', 1.5],
      ['a word', 'big'],
      ['a negative string', '-1'],
      ['an exponent', '1e6'],
      ['an object', { bytes: 5 }],
    ])('refuses a size that is %s → 400 INVALID_SIZE', async (_label, size) => {
      await refusedCreate({ filename: 'a.mp4', type: 'video/mp4', metadata: size === undefined ? {} : { size } }, 400, 'INVALID_SIZE');
    });

    it('accepts the size as a decimal string (Uppy meta values may be strings)', async () => {
      const res = await api.create({ filename: 'string-size.mp4', type: 'video/mp4', metadata: { size: String(6 * MiB) } });
      expect(res.status).toBe(200);
      const media = await prisma.media.findUniqueOrThrow({ where: { id: res.body.mediaId } });
      expect(media.sizeBytes).toBe(BigInt(6 * MiB));
    });

    it('refuses more than the tenant allows, and more than S3 allows whatever the tenant says → 400 UPLOAD_TOO_LARGE', async () => {
      await refusedCreate({ filename: 'a.mp4', type: 'video/mp4', metadata: { size: 5 * TiB + 1 } }, 400, 'UPLOAD_TOO_LARGE');
      await prisma.tenant.update({ where: { id: studio.tenant.id }, data: { maxUploadBytes: BigInt(10 * MiB) } });
      try {
        const res = await refusedCreate(
          { filename: 'a.mp4', type: 'video/mp4', metadata: { size: 10 * MiB + 1 } },
          400,
          'UPLOAD_TOO_LARGE',
        );
        expect(res.body.details).toEqual({ declaredBytes: String(10 * MiB + 1), maxBytes: String(10 * MiB) });
        expect((await api.create({ filename: 'ok.mp4', type: 'video/mp4', metadata: { size: 10 * MiB } })).status).toBe(200);
        await prisma.tenant.update({ where: { id: studio.tenant.id }, data: { maxUploadBytes: BigInt(50 * TiB) } });
        await refusedCreate({ filename: 'a.mp4', type: 'video/mp4', metadata: { size: 5 * TiB + 1 } }, 400, 'UPLOAD_TOO_LARGE');
      } finally {
        await prisma.tenant.update({ where: { id: studio.tenant.id }, data: { maxUploadBytes: null } });
      }
    });

    it('refuses a malformed sha256, a bad content type or a missing filename → 400 VALIDATION_FAILED', async () => {
      const bad = await refusedCreate(
        { filename: 'a.mp4', type: 'video/mp4', metadata: { size: 10, sha256: 'abc' } },
        400,
        'VALIDATION_FAILED',
      );
      expect(bad.body.message).toContain('metadata.sha256');
      await refusedCreate({ filename: 'a.mp4', type: 'video/mp4\r\nx-evil: 1', metadata: { size: 10 } }, 400, 'VALIDATION_FAILED');
      await refusedCreate({ type: 'video/mp4', metadata: { size: 10 } }, 400, 'VALIDATION_FAILED');
      await refusedCreate({ filename: '', type: 'video/mp4', metadata: { size: 10 } }, 400, 'VALIDATION_FAILED');
    });

    it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
      const before = await rowsOf(studio.tenant.id);
      const res = await request(app.getHttpServer())
        .post('/api/s3/multipart')
        .set('origin', WEB_ORIGIN)
        .set('cookie', studio.member.cookie)
        .set('content-type', 'application/json')
        .send('{"filename": "a.mp4", ')
        .expect(400);
      expect(res.body.code).toBe('MALFORMED_JSON');
      expect(await rowsOf(studio.tenant.id)).toEqual(before);
    });

    it('keeps Unicode, neutralises traversal and control characters, shortens long names, refuses absurd ones', async () => {
      const sha256 = 'A'.repeat(64);
      const unicode = await api.create({ filename: 'Café ☕ 日本語 — été.mp4', type: 'video/mp4', metadata: { size: 10, sha256 } });
      expect(unicode.status).toBe(200);
      expect(unicode.body.key).toBe(`isola/media/${unicode.body.mediaId}/source/Café ☕ 日本語 — été.mp4`);
      const unicodeMedia = await prisma.media.findUniqueOrThrow({ where: { id: unicode.body.mediaId } });
      expect(unicodeMedia).toMatchObject({
        filename: 'Café ☕ 日本語 — été.mp4',
        kind: 'video',
        sha256: 'a'.repeat(64),
        status: 'uploading',
      });

      const traversal = await api.create({ filename: '../../etc/passwd', type: 'application/octet-stream', metadata: { size: 10 } });
      expect(traversal.status).toBe(200);
      const sourceFolder = `isola/media/${traversal.body.mediaId}/source/`;
      expect(traversal.body.key.startsWith(sourceFolder)).toBe(true);
      const lastSegment = traversal.body.key.slice(sourceFolder.length);
      expect(lastSegment).not.toMatch(/[/\\]|\.\./);

      const control = await api.create({ filename: 'evil\u0000name\u202Egpj.exe\n.mov', type: 'video/quicktime', metadata: { size: 10 } });
      expect(control.status).toBe(200);
      const controlMedia = await prisma.media.findUniqueOrThrow({ where: { id: control.body.mediaId } });
      expect(controlMedia.filename).toBe('evilnamegpj.exe .mov');
      expect(control.body.key.endsWith('/evilnamegpj.exe .mov')).toBe(true);

      const long = await api.create({ filename: `${'é'.repeat(1000)}.mxf`, type: 'application/octet-stream', metadata: { size: 10 } });
      expect(long.status).toBe(200);
      const longMedia = await prisma.media.findUniqueOrThrow({ where: { id: long.body.mediaId } });
      expect(Buffer.byteLength(longMedia.filename)).toBeLessThanOrEqual(255);
      expect(longMedia.filename.endsWith('.mxf')).toBe(true);
      expect(longMedia.kind).toBe('video'); // from the extension: the browser did not know the type

      await refusedCreate({ filename: `${'a'.repeat(5000)}.mp4`, type: 'video/mp4', metadata: { size: 10 } }, 400, 'FILENAME_TOO_LONG');
    });

    it('needs an active, unrevoked storage target → 409 with a code', async () => {
      const bare = await createTestTenant(app);
      const bareMember = await signedIn(app, { tenantId: bare.id });
      await refusedCreate(
        { filename: 'a.mp4', type: 'video/mp4', metadata: { size: 10 } },
        409,
        'NO_ACTIVE_STORAGE_TARGET',
        new UploadApi(app, bareMember.cookie),
        bare.id,
      );

      const revoked = await createTestTenant(app);
      await createStorageTarget(prisma, { tenantId: revoked.id, mode: 'isolated', status: 'revoked' }, { activate: true });
      await prisma.storageTarget.updateMany({ where: { tenantId: revoked.id }, data: { status: 'revoked' } });
      const revokedMember = await signedIn(app, { tenantId: revoked.id });
      await refusedCreate(
        { filename: 'a.mp4', type: 'video/mp4', metadata: { size: 10 } },
        409,
        'STORAGE_ACCESS_REVOKED',
        new UploadApi(app, revokedMember.cookie),
        revoked.id,
      );

      const pending = await createTestTenant(app);
      await createStorageTarget(prisma, { tenantId: pending.id }, { activate: true });
      await prisma.storageTarget.updateMany({ where: { tenantId: pending.id }, data: { status: 'verified' } });
      const pendingMember = await signedIn(app, { tenantId: pending.id });
      await refusedCreate(
        { filename: 'a.mp4', type: 'video/mp4', metadata: { size: 10 } },
        409,
        'STORAGE_TARGET_NOT_ACTIVE',
        new UploadApi(app, pendingMember.cookie),
        pending.id,
      );
    });
  });

  describe('parts and completion', () => {
    it('refuses part numbers outside 1…10,000 → 400 INVALID_PART_NUMBER, and unknown uploads → 404', async () => {
      const upload = await api.start(10);
      for (const partNumber of ['0', '10001', '-1', '1.5', 'abc']) {
        const res = await api.sign(upload.uploadId, partNumber, { key: upload.key });
        expect({ partNumber, status: res.status, code: res.body.code }).toEqual({ partNumber, status: 400, code: 'INVALID_PART_NUMBER' });
      }
      expect((await api.sign(upload.uploadId, 10_000, { key: upload.key })).status).toBe(200);

      const unknown = await api.sign('no-such-upload', 1, { key: upload.key });
      expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'UPLOAD_NOT_FOUND' });
      for (const res of [
        await api.list('no-such-upload', { key: upload.key }),
        await api.complete('no-such-upload', { key: upload.key }, { parts: [{ PartNumber: 1, ETag: 'x' }] }),
        await api.abort('no-such-upload', { key: upload.key }),
      ]) {
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'UPLOAD_NOT_FOUND' });
      }
    });

    it('checks the key Uppy sends back against its own record → 400 UPLOAD_KEY_MISMATCH', async () => {
      const upload = await api.start(10);
      const other = await api.start(10);
      for (const res of [
        await api.sign(upload.uploadId, 1, { key: other.key }),
        await api.list(upload.uploadId, { key: `${upload.key}x` }),
        await api.complete(upload.uploadId, { key: other.key }, { parts: [{ PartNumber: 1, ETag: 'x' }] }),
        await api.abort(upload.uploadId, { key: other.key }),
      ]) {
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'UPLOAD_KEY_MISMATCH' });
      }
      const missing = await api.sign(upload.uploadId, 1, {});
      expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });

    it('signs Content-MD5 in when asked: the bucket refuses a corrupted part', async () => {
      const upload = await api.start(1024);
      const bytes = randomPart(1024);
      const signed = await api.sign(upload.uploadId, 1, { key: upload.key, md5: md5Base64(bytes) }).expect(200);
      expect(signed.body.headers).toEqual({ 'content-md5': md5Base64(bytes) });
      const corrupted = Uint8Array.from(bytes);
      corrupted[0] = corrupted[0]! ^ 0xff;
      const refused = await fetch(signed.body.url, { method: 'PUT', body: corrupted, headers: signed.body.headers });
      expect(refused.status).toBe(400);
      const accepted = await fetch(signed.body.url, { method: 'PUT', body: bytes, headers: signed.body.headers });
      expect(accepted.status).toBe(200);
      const badMd5 = await api.sign(upload.uploadId, 1, { key: upload.key, md5: 'not-base64' });
      expect(badMd5.body.code).toBe('VALIDATION_FAILED');
    });

    it('signs several parts in one request (sign-ahead): each URL takes its own part, one audit row lists them', async () => {
      const upload = await api.start(S3_MIN_PART_BYTES + 10);
      const batch = await api.sign(upload.uploadId, 'batch', { key: upload.key, partNumbers: '2,1' }).expect(200);
      expect(Object.keys(batch.body.presignedUrls)).toEqual(['1', '2']);
      expect(batch.body.headers).toEqual({});
      const first = randomPart(S3_MIN_PART_BYTES);
      const last = randomPart(10);
      const etags: string[] = [];
      for (const [partNumber, bytes] of [
        [1, first],
        [2, last],
      ] as const) {
        const put = await fetch(batch.body.presignedUrls[String(partNumber)], { method: 'PUT', body: bytes });
        expect(put.status).toBe(200);
        etags.push(put.headers.get('etag')!);
      }
      const parts = etags.map((ETag, i) => ({ PartNumber: i + 1, ETag }));
      expect((await api.complete(upload.uploadId, { key: upload.key }, { parts })).status).toBe(200);

      const rows = await prisma.auditEvent.findMany({ where: { tenantId: studio.tenant.id, action: 'upload.sign_parts' } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        purpose: 'upload',
        objectKeys: [upload.key],
        details: expect.objectContaining({ partNumbers: '1,2', parts: 2 }),
      });
    });

    it('refuses a bad part number list → 400 INVALID_PART_NUMBER, and checks the upload as single signing does', async () => {
      const upload = await api.start(10);
      const tooMany = Array.from({ length: MAX_SIGN_BATCH_PARTS + 1 }, (_, i) => i + 1).join(',');
      for (const partNumbers of ['', '0', '1,1', '1,,2', '1;2', '10001', tooMany]) {
        const res = await api.sign(upload.uploadId, 'batch', { key: upload.key, partNumbers });
        expect({ partNumbers: partNumbers.slice(0, 12), status: res.status, code: res.body.code }).toEqual({
          partNumbers: partNumbers.slice(0, 12),
          status: 400,
          code: 'INVALID_PART_NUMBER',
        });
      }
      const missing = await api.sign(upload.uploadId, 'batch', { key: upload.key });
      expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      const wrongKey = await api.sign(upload.uploadId, 'batch', { key: `${upload.key}x`, partNumbers: '1' });
      expect({ status: wrongKey.status, code: wrongKey.body.code }).toEqual({ status: 400, code: 'UPLOAD_KEY_MISMATCH' });
      const unknown = await api.sign('no-such-upload', 'batch', { key: upload.key, partNumbers: '1' });
      expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'UPLOAD_NOT_FOUND' });
    });

    it('refuses parts under 5 MiB but the last → 400 PART_TOO_SMALL, and leaves the upload open to fix', async () => {
      const upload = await api.start(2 * MiB);
      const etag1 = await api.putPart(upload, 1, randomPart(MiB));
      const etag2 = await api.putPart(upload, 2, randomPart(MiB));
      const parts = [
        { PartNumber: 1, ETag: etag1 },
        { PartNumber: 2, ETag: etag2 },
      ];
      const res = await api.complete(upload.uploadId, { key: upload.key }, { parts });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'PART_TOO_SMALL' });
      expect(res.body.details).toEqual({ partNumber: 1, size: MiB, minBytes: S3_MIN_PART_BYTES });
      const listed = await api.list(upload.uploadId, { key: upload.key }).expect(200);
      expect(listed.body).toEqual([
        { PartNumber: 1, Size: MiB, ETag: expect.stringContaining(etag1) },
        { PartNumber: 2, Size: MiB, ETag: expect.stringContaining(etag2) },
      ]);
      expect((await prisma.media.findUniqueOrThrow({ where: { id: upload.mediaId } })).status).toBe('uploading');
    });

    it('refuses parts that were not uploaded or whose ETag differs → 400 INVALID_PART', async () => {
      const upload = await api.start(MiB);
      const etag = await api.putPart(upload, 1, randomPart(MiB));
      for (const parts of [
        [{ PartNumber: 2, ETag: etag }],
        [{ PartNumber: 1, ETag: 'd41d8cd98f00b204e9800998ecf8427e' }],
        [
          { PartNumber: 1, ETag: etag },
          { PartNumber: 1, ETag: etag },
        ],
      ]) {
        const res = await api.complete(upload.uploadId, { key: upload.key }, { parts });
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'INVALID_PART' });
      }
      const badNumber = await api.complete(upload.uploadId, { key: upload.key }, { parts: [{ PartNumber: 0, ETag: etag }] });
      expect(badNumber.body.code).toBe('INVALID_PART_NUMBER');
      const empty = await api.complete(upload.uploadId, { key: upload.key }, { parts: [] });
      expect(empty.body.code).toBe('VALIDATION_FAILED');
    });

    it('fails an upload whose bytes do not add up to the declared size → 422 SIZE_MISMATCH, nothing stored', async () => {
      const upload = await api.start(2 * MiB);
      const etag = await api.putPart(upload, 1, randomPart(MiB));
      const res = await api.complete(upload.uploadId, { key: upload.key }, { parts: [{ PartNumber: 1, ETag: etag }] });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code: 'SIZE_MISMATCH' });
      const media = await prisma.media.findUniqueOrThrow({ where: { id: upload.mediaId }, include: { multipartUpload: true } });
      expect(media.status).toBe('failed');
      expect(media.failureReason).toContain('SIZE_MISMATCH');
      expect(media.multipartUpload?.status).toBe('aborted');
      expect(await prisma.outboxMessage.count({ where: { payload: { equals: { mediaId: upload.mediaId } } } })).toBe(0);
      const again = await api.sign(upload.uploadId, 2, { key: upload.key });
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'UPLOAD_ABORTED' });
    });

    it('completes once: a second completion or an abort afterwards → 409 UPLOAD_ALREADY_COMPLETED', async () => {
      const upload = await api.start(MiB + 1);
      const etag = await api.putPart(upload, 1, randomPart(MiB + 1));
      const done = await api.complete(upload.uploadId, { key: upload.key }, { parts: [{ PartNumber: 1, ETag: etag }] }).expect(200);
      expect(done.body).toEqual({ location: `/api/media/${upload.mediaId}`, key: upload.key, mediaId: upload.mediaId, status: 'uploaded' });
      for (const res of [
        await api.complete(upload.uploadId, { key: upload.key }, { parts: [{ PartNumber: 1, ETag: etag }] }),
        await api.abort(upload.uploadId, { key: upload.key }),
        await api.sign(upload.uploadId, 2, { key: upload.key }),
      ]) {
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'UPLOAD_ALREADY_COMPLETED' });
      }
    });

    it('aborts: the S3 upload is gone, the media leaves the library, the upload cannot be used again', async () => {
      const upload = await api.start(6 * MiB);
      await api.putPart(upload, 1, randomPart(MiB));
      await api.abort(upload.uploadId, { key: upload.key }).expect(204);
      const media = await prisma.media.findUniqueOrThrow({ where: { id: upload.mediaId }, include: { multipartUpload: true } });
      expect(media.status).toBe('deleted');
      expect(media.multipartUpload?.status).toBe('aborted');
      const audit = await prisma.auditEvent.findFirstOrThrow({
        where: { action: 'upload.abort', details: { path: ['mediaId'], equals: upload.mediaId } },
      });
      expect(audit).toMatchObject({ tenantId: studio.tenant.id, purpose: 'upload', objectKeys: [upload.key] });
      expect(audit.details).toMatchObject({ storageAborted: true });
      const again = await api.abort(upload.uploadId, { key: upload.key });
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'UPLOAD_ABORTED' });
      const list = await api.list(upload.uploadId, { key: upload.key });
      expect(list.body.code).toBe('UPLOAD_ABORTED');
    });
  });

  describe('who may touch an upload', () => {
    let outsider: SignedInUser;
    let colleague: SignedInUser;
    let staff: SignedInUser;

    beforeAll(async () => {
      const otherTenant = await createTestTenant(app);
      outsider = await signedIn(app, { tenantId: otherTenant.id, role: 'admin' });
      colleague = await signedIn(app, { tenantId: studio.tenant.id, role: 'admin' });
      staff = await signedIn(app, { staff: 'admin' });
    });

    it("answers another tenant's or another user's upload with 404 UPLOAD_NOT_FOUND", async () => {
      const upload = await api.start(10);
      for (const user of [outsider, colleague]) {
        const other = new UploadApi(app, user.cookie);
        for (const res of [
          await other.sign(upload.uploadId, 1, { key: upload.key }),
          await other.sign(upload.uploadId, 'batch', { key: upload.key, partNumbers: '1' }),
          await other.list(upload.uploadId, { key: upload.key }),
          await other.complete(upload.uploadId, { key: upload.key }, { parts: [{ PartNumber: 1, ETag: 'x' }] }),
          await other.abort(upload.uploadId, { key: upload.key }),
        ]) {
          expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'UPLOAD_NOT_FOUND' });
        }
      }
      expect((await prisma.multipartUpload.findFirstOrThrow({ where: { uploadId: upload.uploadId } })).status).toBe('open');
    });

    it('refuses users without a tenant (staff) with 403, and anonymous callers with 401', async () => {
      const upload = await api.start(10);
      const asStaff = new UploadApi(app, staff.cookie);
      for (const res of [
        await asStaff.create({ filename: 'a.mp4', type: 'video/mp4', metadata: { size: 10 } }),
        await asStaff.sign(upload.uploadId, 1, { key: upload.key }),
        await asStaff.list(upload.uploadId, { key: upload.key }),
        await asStaff.complete(upload.uploadId, { key: upload.key }, { parts: [{ PartNumber: 1, ETag: 'x' }] }),
        await asStaff.abort(upload.uploadId, { key: upload.key }),
        await request(app.getHttpServer()).get('/api/s3/params').set('cookie', staff.cookie),
      ]) {
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      }
      const anonymous = await request(app.getHttpServer()).post('/api/s3/multipart').set('origin', WEB_ORIGIN).send({});
      expect(anonymous.status).toBe(401);
    });

    it('refuses state changes without the web origin (CSRF)', async () => {
      const res = await request(app.getHttpServer())
        .post('/api/s3/multipart')
        .set('origin', 'https://evil.example')
        .set('cookie', studio.member.cookie)
        .send({ filename: 'a.mp4', type: 'video/mp4', metadata: { size: 10 } });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'CSRF_REJECTED' });
    });
  });
});

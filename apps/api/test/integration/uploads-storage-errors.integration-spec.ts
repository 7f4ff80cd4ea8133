import type { INestApplication } from '@nestjs/common';
import { PrismaClient } from '@isola/database';
import { DEFAULT_POLICY_NAME } from '@isola/local-stack';
import { openMediaStudio, type MediaStudio } from '../support/media-studio.js';
import { UploadApi } from '../support/upload-api.js';
import { startTestApi } from '../support/test-app.js';

/**
 * Storage failures reach the client as `{code}` with a status (storage-error.mapper.ts), an S3
 * denial confirmed with a fresh AssumeRole first: a role stripped of its permissions is
 * PERMISSION_DENIED (502), a deleted role STORAGE_ACCESS_REVOKED (409). Failed creates write nothing.
 */
describe('upload API: storage errors from the studio (RGW)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let studio: MediaStudio;
  let api: UploadApi;

  beforeAll(async () => {
    app = await startTestApi();
    prisma = app.get(PrismaClient);
    studio = await openMediaStudio(app, 'upload-errors');
    api = new UploadApi(app, studio.member.cookie);
  });
  afterAll(async () => {
    await studio?.destroy();
    await app?.close();
  });

  const rows = async () => ({
    media: await prisma.media.count({ where: { tenantId: studio.tenant.id } }),
    uploads: await prisma.multipartUpload.count({ where: { tenantId: studio.tenant.id } }),
  });

  it('maps a denial the role can still be assumed past to 502 PERMISSION_DENIED, and a deleted role to 409 STORAGE_ACCESS_REVOKED', async () => {
    const open = await api.start(10);

    // The studio removes the role's permissions: AssumeRole still works, S3 refuses.
    await studio.admin.deleteRolePolicy(studio.studio.roleName, DEFAULT_POLICY_NAME);
    const before = await rows();
    const denied = await api.create({ filename: 'a.mp4', type: 'video/mp4', metadata: { size: 10 } });
    expect({ status: denied.status, code: denied.body.code }).toEqual({ status: 502, code: 'PERMISSION_DENIED' });
    expect(denied.body.details).toMatchObject({ retryable: false, service: 's3' });
    expect(await rows()).toEqual(before);
    const listDenied = await api.list(open.uploadId, { key: open.key });
    expect({ status: listDenied.status, code: listDenied.body.code }).toEqual({ status: 502, code: 'PERMISSION_DENIED' });

    // The studio deletes the role: even the credential already issued stops; the broker confirms.
    await studio.admin.deleteRole(studio.studio.roleName);
    const listRevoked = await api.list(open.uploadId, { key: open.key });
    expect({ status: listRevoked.status, code: listRevoked.body.code }).toEqual({ status: 409, code: 'STORAGE_ACCESS_REVOKED' });
    const createRevoked = await api.create({ filename: 'a.mp4', type: 'video/mp4', metadata: { size: 10 } });
    expect({ status: createRevoked.status, code: createRevoked.body.code }).toEqual({ status: 409, code: 'STORAGE_ACCESS_REVOKED' });
    expect(await rows()).toEqual(before);

    // Aborting is still possible: the upload is closed in Isola even though the bucket is out of reach.
    await api.abort(open.uploadId, { key: open.key }).expect(204);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: 'upload.abort', details: { path: ['mediaId'], equals: open.mediaId } },
    });
    expect(audit.details).toMatchObject({ storageAborted: false });
  });
});

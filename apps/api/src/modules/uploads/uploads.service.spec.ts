import { Logger } from '@nestjs/common';
import { JobName, type JobItem } from '@isola/contracts';
import type { CredentialBroker, CredentialScope, ScopedCredentials } from '@isola/credentials';
import type { MultipartUpload, StorageTarget } from '@isola/database';
import { ManualClock } from '@isola/runtime';
import type { ObjectHead, ObjectStore, ObjectStoreFactory, UploadedPart } from '@isola/tenant-storage';
import type { Actor } from '../../common/auth/actor.js';
import type { AuditEntry, AuditService } from '../audit/audit.service.js';
import type { JobsService } from '../jobs/jobs.service.js';
import type { StorageTargetsRepository } from '../storage/storage-targets.repository.js';
import { StorageErrorMapper } from './storage-error.mapper.js';
import { DEFAULT_UPLOADS_OPTIONS } from './uploads.config.js';
import type { UploadsRepository, UploadWithTarget } from './uploads.repository.js';
import { UploadsService } from './uploads.service.js';

const MiB = 1024 * 1024;
const origin = { ip: '127.0.0.1', userAgent: 'test', correlationId: 'corr-1' };
const actor: Actor = {
  userId: 'user-1',
  email: 'm@studio.test',
  displayName: 'M',
  sessionId: 's',
  tenant: { id: 'tenant-1', slug: 'studio', name: 'Studio', role: 'member' },
  staffRole: null,
};
const targetRow = {
  id: 'target-1',
  tenantId: 'tenant-1',
  mode: 'isolated',
  provider: 's3_compatible',
  endpoint: 'http://127.0.0.1:7480',
  region: 'us-east-1',
  bucket: 'studio-bucket',
  prefix: 'p',
  roleArn: 'arn:aws:iam:::role/r',
  externalId: 'ext',
  status: 'active',
} as StorageTarget;

/** Records what the service asked of the store; answers with what the test sets. */
class FakeStore {
  calls: string[] = [];
  parts: UploadedPart[] = [];
  head: ObjectHead | undefined;
  createMultipartUpload() {
    this.calls.push('create');
    return Promise.resolve({ uploadId: 'up-1' });
  }
  abortMultipartUpload() {
    this.calls.push('abort');
    return Promise.resolve();
  }
  listParts() {
    this.calls.push('list');
    return Promise.resolve(this.parts);
  }
  completeMultipartUpload() {
    this.calls.push('complete');
    return Promise.resolve({});
  }
  /** Set to make PutObjectTagging fail (e.g. a role without s3:PutObjectTagging). */
  taggingError: Error | undefined;
  putObjectTagging(input: { key: string; tags: Record<string, string> }) {
    this.calls.push(`tag ${Object.entries(input.tags).map(([k, v]) => `${k}=${v}`)}`);
    return this.taggingError === undefined ? Promise.resolve() : Promise.reject(this.taggingError);
  }
  headObject(key: string) {
    this.calls.push('head');
    return Promise.resolve(this.head ?? { key, size: 0 });
  }
}

function setUp(options: { transactionFails?: boolean; upload?: Partial<MultipartUpload> } = {}) {
  const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
  const store = new FakeStore();
  const audit: AuditEntry[] = [];
  const jobs: JobItem[] = [];
  const writes: string[] = [];
  const upload: UploadWithTarget = {
    id: 'mpu-1',
    mediaId: '7d9f0c7e-8a51-4f0e-9c39-0c3f5b1e2a10',
    tenantId: 'tenant-1',
    userId: 'user-1',
    storageTargetId: 'target-1',
    uploadId: 'up-1',
    objectKey: 'p/media/7d9f0c7e-8a51-4f0e-9c39-0c3f5b1e2a10/source/clip.mp4',
    declaredSize: BigInt(6 * MiB),
    status: 'open',
    createdAt: clock.now(),
    updatedAt: clock.now(),
    storageTarget: targetRow,
    ...options.upload,
  };
  const tx = { tx: true };
  const repo = {
    transaction: async (run: (t: unknown) => Promise<unknown>) => {
      if (options.transactionFails) throw new Error('database down');
      return run(tx);
    },
    tenantMaxUploadBytes: () => Promise.resolve(null),
    createUpload: () => {
      writes.push('createUpload');
      return Promise.resolve();
    },
    findForUser: (uploadId: string, tenantId: string, userId: string) =>
      Promise.resolve(uploadId === upload.uploadId && tenantId === upload.tenantId && userId === upload.userId ? upload : null),
    closeUpload: (_tx: unknown, _id: string, status: string) => {
      writes.push(`upload:${status}`);
      return Promise.resolve(true);
    },
    markUploaded: () => {
      writes.push('media:uploaded');
      return Promise.resolve();
    },
    markFailed: () => {
      writes.push('media:failed');
      return Promise.resolve();
    },
    markAbandoned: () => Promise.resolve(),
    createTranscodeGrant: (_tx: unknown, grant: { expiresAt: Date }) => {
      writes.push(`grant:${grant.expiresAt.toISOString()}`);
      return Promise.resolve();
    },
  } as unknown as UploadsRepository;
  const credentialsFor = (scope: CredentialScope): ScopedCredentials => ({
    accessKeyId: 'AK',
    secretAccessKey: 'SK',
    sessionToken: 'ST',
    expiresAt: new Date(clock.now().getTime() + 900_000),
    sessionName: `isola-${scope.purpose}`,
    purpose: scope.purpose,
    scope,
    policyKeys: ['p/media/x/source/clip.mp4'],
  });
  const broker = {
    getCredentials: (_t: unknown, scope: CredentialScope) => Promise.resolve(credentialsFor(scope)),
    confirmDenial: () => Promise.reject(new Error('unused')),
    invalidate: () => undefined,
  } as unknown as CredentialBroker;
  const stores = { forCredentials: () => store as unknown as ObjectStore } as unknown as ObjectStoreFactory;
  const service = new UploadsService(
    repo,
    { activeTarget: () => Promise.resolve(targetRow) } as unknown as StorageTargetsRepository,
    broker,
    stores,
    new StorageErrorMapper(broker),
    { record: (entry: AuditEntry) => Promise.resolve(void audit.push(entry)) } as unknown as AuditService,
    { enqueue: (item: JobItem) => Promise.resolve(String(jobs.push(item))) } as unknown as JobsService,
    clock,
    DEFAULT_UPLOADS_OPTIONS,
  );
  return { service, store, audit, jobs, writes, upload };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('UploadsService', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('aborts the S3 upload when the database cannot record it: nothing is left behind', async () => {
    const { service, store, audit } = setUp({ transactionFails: true });
    await expect(service.create(actor, { filename: 'clip.mp4', type: 'video/mp4', metadata: { size: 10 } }, origin)).rejects.toThrow(
      'database down',
    );
    expect(store.calls).toEqual(['create', 'abort']);
    expect(audit).toEqual([]);
  });

  it('writes nothing at all for invalid input', async () => {
    const { service, store, writes } = setUp();
    expect(await codeOf(service.create(actor, { filename: 'clip.mp4', metadata: { size: 0 } }, origin))).toBe('INVALID_SIZE');
    expect(store.calls).toEqual([]);
    expect(writes).toEqual([]);
  });

  it('completes: media uploaded, upload completed, a 30-min transcode grant and the job, in one transaction', async () => {
    const { service, store, writes, jobs, audit, upload } = setUp();
    store.parts = [
      { partNumber: 1, etag: '"e1"', size: 5 * MiB },
      { partNumber: 2, etag: '"e2"', size: MiB },
    ];
    store.head = { key: upload.objectKey, size: 6 * MiB, etag: '"abc-2"' };
    const result = await service.complete(
      actor,
      'up-1',
      { key: upload.objectKey },
      {
        parts: [
          { PartNumber: 1, ETag: 'e1' },
          { PartNumber: 2, ETag: 'e2' },
        ],
      },
      origin,
    );
    expect(result).toEqual({
      location: `/api/media/${upload.mediaId}`,
      key: upload.objectKey,
      mediaId: upload.mediaId,
      status: 'uploaded',
    });
    // the assembled source is tagged for the sources-to-IA lifecycle rule (RGW drops tags given at create)
    expect(store.calls).toEqual(['list', 'complete', 'tag isola-object-kind=source', 'head']);
    expect(writes).toEqual(['upload:completed', 'media:uploaded', 'grant:2026-03-01T10:30:00.000Z']);
    expect(jobs).toEqual([{ name: JobName.MediaTranscode, payload: { mediaId: upload.mediaId } }]);
    expect(audit.map((a) => [a.action, a.purpose])).toEqual([
      ['upload.verify', 'link'],
      ['upload.complete', 'upload'],
    ]);
    expect(audit[1]?.details).toMatchObject({ sourceTagged: true });
  });

  it('completes even when the source cannot be tagged, and records that it is not', async () => {
    const { service, store, writes, audit, upload } = setUp();
    store.parts = [{ partNumber: 1, etag: '"e1"', size: 6 * MiB }];
    store.head = { key: upload.objectKey, size: 6 * MiB };
    store.taggingError = Object.assign(new Error('no s3:PutObjectTagging'), { code: 'SOMETHING_ELSE' });
    const result = await service.complete(actor, 'up-1', { key: upload.objectKey }, { parts: [{ PartNumber: 1, ETag: 'e1' }] }, origin);
    expect(result.status).toBe('uploaded');
    expect(store.calls).toEqual(['list', 'complete', 'tag isola-object-kind=source', 'head']);
    expect(writes).toEqual(['upload:completed', 'media:uploaded', 'grant:2026-03-01T10:30:00.000Z']);
    expect(audit.find((a) => a.action === 'upload.complete')?.details).toMatchObject({ sourceTagged: false });
  });

  it('fails the media when the stored object is not the declared size (HEAD after completion)', async () => {
    const { service, store, writes, jobs, upload } = setUp();
    store.parts = [{ partNumber: 1, etag: 'e1', size: 6 * MiB }];
    store.head = { key: upload.objectKey, size: 6 * MiB - 1 };
    const code = await codeOf(
      service.complete(actor, 'up-1', { key: upload.objectKey }, { parts: [{ PartNumber: 1, ETag: 'e1' }] }, origin),
    );
    expect(code).toBe('SIZE_MISMATCH');
    expect(writes).toEqual(['upload:completed', 'media:failed']);
    expect(jobs).toEqual([]);
  });

  it("does not find another user's upload, and checks the key", async () => {
    const { service, upload } = setUp();
    const other = { ...actor, userId: 'user-2' };
    expect(await codeOf(service.listParts(other, 'up-1', { key: upload.objectKey }, origin))).toBe('UPLOAD_NOT_FOUND');
    expect(await codeOf(service.listParts(actor, 'up-1', { key: 'p/media/other/source/x' }, origin))).toBe('UPLOAD_KEY_MISMATCH');
  });
});

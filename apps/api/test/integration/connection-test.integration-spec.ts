import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import {
  connectionTestResultSchema,
  verifyTargetResponseSchema,
  type ConnectionTestStepId,
  type VerifyTargetResponse,
} from '@isola/contracts';
import { PrismaClient, type Prisma, type StorageTarget, type StorageTargetStatus, type Tenant } from '@isola/database';
import { createMembership, createStorageTarget, createUser } from '@isola/database/seed';
import { LocalStackAdmin, createTestStudio, loadLocalEnv, type PolicyDocument, type TestStudio } from '@isola/local-stack';
import { SystemClock } from '@isola/runtime';
import { S3ObjectStore, StorageErrorCode, isStorageError } from '@isola/tenant-storage';
import { sessionCookieFor } from '../support/sessions.js';
import { createTestTenant, startTestApi, WEB_ORIGIN } from '../support/test-app.js';
import { toTargetRef } from '../../src/modules/storage/storage-targets.repository.js';

/**
 * Issue 6 acceptance: the connection test against the real local RGW. On a freshly provisioned
 * isolated test studio every step passes except the three RGW 16 cannot satisfy (ExternalId guard,
 * default encryption, TLS-only over plain HTTP); each misconfiguration fails at its own step with
 * its hint. Results and statuses are read back from the database.
 */
describe('connection test: POST /api/tenant/storage/targets/:id/verify (RGW, PostgreSQL)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let admin: LocalStackAdmin;
  let studio: TestStudio;
  let tenant: Tenant;
  let otherTenant: Tenant;
  let tenantAdmin: { id: string; cookie: string };
  let member: { id: string; cookie: string };
  const extraStudios: TestStudio[] = [];

  beforeAll(async () => {
    app = await startTestApi();
    prisma = app.get(PrismaClient);
    admin = new LocalStackAdmin(loadLocalEnv());
    await admin.waitUntilReady(10_000);
    studio = await createTestStudio(admin, { label: 'conntest' });
    tenant = await createTestTenant(app);
    otherTenant = await createTestTenant(app);
    tenantAdmin = await userOf(tenant, 'admin');
    member = await userOf(tenant, 'member');
  });
  afterAll(async () => {
    for (const extra of extraStudios) await extra.destroy().catch(() => undefined);
    await studio?.destroy();
    admin?.destroy();
    if (prisma !== undefined) {
      const tenantIds = [tenant?.id, otherTenant?.id].filter((id): id is string => id !== undefined);
      await prisma.auditEvent.deleteMany({ where: { tenantId: { in: tenantIds } } });
      await prisma.tenant.deleteMany({ where: { id: { in: tenantIds } } }).catch(() => undefined);
    }
    await app?.close();
  });

  /** A user of the studio with a live session (minted directly: no password hashing, no sign-in limits). */
  async function userOf(of: Tenant, role: 'admin' | 'member'): Promise<{ id: string; cookie: string }> {
    const user = await createUser(prisma);
    await createMembership(prisma, { userId: user.id, tenantId: of.id, role });
    return { id: user.id, cookie: await sessionCookieFor(app, user.id) };
  }

  /** A pending isolated target on a studio's bucket and role (each test its own row, own ExternalId). */
  function newTarget(on: TestStudio = studio, overrides: Partial<Prisma.StorageTargetUncheckedCreateInput> = {}): Promise<StorageTarget> {
    return createStorageTarget(prisma, {
      tenantId: tenant.id,
      mode: 'isolated',
      provider: 's3_compatible',
      endpoint: admin.env.endpoint,
      region: admin.env.region,
      bucket: on.bucket,
      prefix: 'isola',
      roleArn: on.roleArn,
      status: 'pending',
      ...overrides,
    });
  }

  const post = (targetId: string, cookie = tenantAdmin.cookie) =>
    request(app.getHttpServer()).post(`/api/tenant/storage/targets/${targetId}/verify`).set('origin', WEB_ORIGIN).set('cookie', cookie);

  async function verify(targetId: string): Promise<VerifyTargetResponse> {
    const res = await post(targetId).expect(200);
    return verifyTargetResponseSchema.parse(res.body);
  }

  const outcomes = (result: VerifyTargetResponse) => Object.fromEntries(result.steps.map((step) => [step.id, step.outcome]));
  const step = (result: VerifyTargetResponse, id: ConnectionTestStepId) => result.steps.find((s) => s.id === id)!;
  const storedStatus = async (id: string): Promise<StorageTargetStatus> =>
    (await prisma.storageTarget.findUniqueOrThrow({ where: { id } })).status;

  it('passes on a freshly provisioned studio, with exactly the three documented RGW warnings', async () => {
    const target = await newTarget();
    const before = new Date();
    const result = await verify(target.id);

    expect(outcomes(result)).toEqual({
      'assume-role': 'pass',
      'external-id-guard': 'warn',
      bucket: 'pass',
      'object-roundtrip': 'pass',
      multipart: 'pass',
      cors: 'pass',
      encryption: 'warn',
      'tls-only': 'warn',
    });
    expect(result.ok).toBe(true);
    expect(result.status).toBe('verified');
    expect(step(result, 'external-id-guard').detail).toMatch(/Confused-deputy guard missing/);
    expect(step(result, 'external-id-guard').hint).toMatch(/sts:ExternalId.*Ceph RGW 16 cannot evaluate/s);
    expect(step(result, 'encryption').detail).toMatch(/Ceph RGW 16 has no bucket default encryption/);
    expect(step(result, 'tls-only').detail).toMatch(/plain HTTP/);
    expect(step(result, 'bucket').detail).toMatch(/default zonegroup \("default"\)/);
    expect(step(result, 'cors').detail).toContain('http://localhost:5173');

    // stored with the target, exactly as answered
    const row = await prisma.storageTarget.findUniqueOrThrow({ where: { id: target.id } });
    expect(row.status).toBe('verified');
    expect(row.lastCheckAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    const { targetId: _id, status: _status, ...stored } = result;
    expect(connectionTestResultSchema.parse(row.lastCheckResult)).toEqual(stored);

    // audited: the verify credential's session, the probe keys; the probe object is gone
    const audit = await prisma.auditEvent.findMany({ where: { storageTargetId: target.id, action: 'target.verify' } });
    expect(audit).toHaveLength(1);
    const entry = audit[0]!;
    expect(entry).toMatchObject({ tenantId: tenant.id, actorUserId: tenantAdmin.id, purpose: 'verify' });
    expect(entry.sessionName).toMatch(/^isola-verify-/);
    expect(step(result, 'assume-role').detail).toContain(entry.sessionName!);
    expect(entry.objectKeys).toHaveLength(2);
    for (const key of entry.objectKeys) expect(key.startsWith('isola/.isola-probe/')).toBe(true);
    expect(entry.details).toMatchObject({ ok: true, statusBefore: 'pending', statusAfter: 'verified' });
    const store = adminStore(target);
    const probe: unknown = await store.headObject(entry.objectKeys[0]!).catch((error: unknown) => error);
    store.destroy();
    expect(isStorageError(probe) && probe.code).toBe(StorageErrorCode.OBJECT_NOT_FOUND);
  });

  it('answers 403 to a member, 404 for another studio’s or an unknown target, and refuses cross-site posts', async () => {
    const target = await newTarget();
    const foreign = await newTarget(studio, { tenantId: otherTenant.id });
    expect((await post(target.id, member.cookie).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await post(foreign.id).expect(404)).body.code).toBe('STORAGE_TARGET_NOT_FOUND');
    expect((await post(randomUUID()).expect(404)).body.code).toBe('STORAGE_TARGET_NOT_FOUND');
    expect((await post('not-a-uuid').expect(404)).body.code).toBe('STORAGE_TARGET_NOT_FOUND');
    const crossSite = await request(app.getHttpServer())
      .post(`/api/tenant/storage/targets/${target.id}/verify`)
      .set('origin', 'https://evil.example')
      .set('cookie', tenantAdmin.cookie)
      .expect(403);
    expect(crossSite.body.code).toBe('CSRF_REJECTED');
    expect(await storedStatus(foreign.id)).toBe('pending');
    expect((await prisma.storageTarget.findUniqueOrThrow({ where: { id: foreign.id } })).lastCheckAt).toBeNull();
  });

  it("an admin's passing re-test restores a revoked target to the status it had", async () => {
    const target = await newTarget(studio, { status: 'revoked', statusBeforeRevocation: 'active', revokedAt: new Date() });
    const result = await verify(target.id);
    expect(result).toMatchObject({ ok: true, status: 'active' });
    const row = await prisma.storageTarget.findUniqueOrThrow({ where: { id: target.id } });
    expect(row).toMatchObject({ status: 'active', revokedAt: null });
    expect(connectionTestResultSchema.parse(row.lastCheckResult).ok).toBe(true); // the test's result, stored last
    const actions = (await prisma.auditEvent.findMany({ where: { storageTargetId: target.id }, orderBy: { createdAt: 'asc' } })).map(
      (event) => event.action,
    );
    expect(actions).toEqual(['target.restored', 'target.verify']);
  });

  it('wrong bucket: fails at the bucket step with its hint; the steps after it are skipped', async () => {
    const missing = `t-missing-${randomBytes(6).toString('hex')}`;
    const target = await newTarget(studio, { bucket: missing });
    const result = await verify(target.id);
    expect(outcomes(result)).toMatchObject({ 'assume-role': 'pass', bucket: 'fail' });
    expect(step(result, 'bucket').hint).toContain(`No bucket named "${missing}"`);
    for (const id of ['object-roundtrip', 'multipart', 'cors', 'encryption', 'tls-only'] as const) {
      expect(step(result, id)).toMatchObject({ outcome: 'skipped', detail: `Not run: "Bucket exists in the target's region" failed.` });
    }
    expect(result).toMatchObject({ ok: false, status: 'pending' });
    expect(await storedStatus(target.id)).toBe('pending');
  });

  it('missing CORS: fails at the CORS step; a verified target that fails goes back to pending', async () => {
    const target = await newTarget();
    expect((await verify(target.id)).status).toBe('verified');
    await admin.ensureBucket(studio.bucket, { corsOrigins: [] }); // deletes the bucket's CORS
    try {
      const result = await verify(target.id);
      expect(outcomes(result)).toMatchObject({ bucket: 'pass', 'object-roundtrip': 'pass', multipart: 'pass', cors: 'fail' });
      expect(result.steps.filter((s) => s.outcome === 'fail').map((s) => s.id)).toEqual(['cors']);
      expect(step(result, 'cors').detail).toMatch(/refused \(HTTP 403\)/);
      expect(step(result, 'cors').hint).toContain('ExposeHeaders ["ETag"]');
      expect(result).toMatchObject({ ok: false, status: 'pending' });
      expect(await storedStatus(target.id)).toBe('pending');
    } finally {
      await admin.ensureBucket(studio.bucket, { corsOrigins: admin.env.webOrigins });
    }
  });

  it('a role without s3:PutObject: fails at the object step, naming the action and the probe prefix', async () => {
    const narrow = await extraStudio('conntest-noput');
    await admin.ensureRole({
      roleName: narrow.roleName,
      trustedPrincipalArns: admin.platformPrincipalArns(),
      permissionPolicy: policyWithoutPutObject(narrow.bucket),
      removeOtherPolicies: true,
    });
    const target = await newTarget(narrow);
    const result = await verify(target.id);
    expect(outcomes(result)).toMatchObject({ 'assume-role': 'pass', bucket: 'pass', 'object-roundtrip': 'fail', cors: 'pass' });
    expect(result.steps.find((s) => s.outcome === 'fail')?.id).toBe('object-roundtrip');
    expect(step(result, 'object-roundtrip').hint).toBe(
      `The role has no s3:PutObject on arn:aws:s3:::${narrow.bucket}/isola/.isola-probe/* (or a bucket policy denies it): ` +
        "update the role's permission policy from the setup kit, which grants it on the target's prefix.",
    );
    expect(result).toMatchObject({ ok: false, status: 'pending' });
  });

  it('a role from an older kit without s3:PutObjectTagging: fails at the object step, and the probe is cleaned up', async () => {
    const untagged = await extraStudio('conntest-notag');
    await admin.ensureRole({
      roleName: untagged.roleName,
      trustedPrincipalArns: admin.platformPrincipalArns(),
      permissionPolicy: policyWithoutPutObject(untagged.bucket, [
        's3:GetObject',
        's3:PutObject',
        's3:DeleteObject',
        's3:AbortMultipartUpload',
      ]),
      removeOtherPolicies: true,
    });
    const target = await newTarget(untagged);
    const result = await verify(target.id);
    expect(outcomes(result)).toMatchObject({ 'assume-role': 'pass', bucket: 'pass', 'object-roundtrip': 'fail', multipart: 'pass' });
    expect(step(result, 'object-roundtrip').hint).toContain(`s3:PutObjectTagging on arn:aws:s3:::${untagged.bucket}/isola/.isola-probe/*`);
    expect(result).toMatchObject({ ok: false, status: 'pending' });
  });

  it('a trust policy naming another principal: fails at assume-role; every other step is skipped', async () => {
    const untrusting = await extraStudio('conntest-trust');
    await admin.updateTrust(untrusting.roleName, [admin.principalArn('worker')]);
    const target = await newTarget(untrusting);
    const result = await verify(target.id);
    expect(step(result, 'assume-role').outcome).toBe('fail');
    expect(step(result, 'assume-role').hint).toContain(`allows sts:AssumeRole for Isola's platform principal arn:aws:iam:::user/isola-api`);
    expect(result.steps.slice(1).every((s) => s.outcome === 'skipped')).toBe(true);
    expect(result).toMatchObject({ ok: false, status: 'pending' });
    const row = await prisma.storageTarget.findUniqueOrThrow({ where: { id: target.id } });
    expect(connectionTestResultSchema.parse(row.lastCheckResult).steps[0]?.outcome).toBe('fail');
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { storageTargetId: target.id, action: 'target.verify' } });
    expect(audit).toMatchObject({ purpose: 'verify', sessionName: null, objectKeys: [] });
  });

  async function extraStudio(label: string): Promise<TestStudio> {
    const created = await createTestStudio(admin, { label });
    extraStudios.push(created);
    return created;
  }

  function adminStore(target: StorageTarget): S3ObjectStore {
    return new S3ObjectStore(
      toTargetRef(target),
      { ...admin.env.admin, sessionToken: '', expiresAt: new Date(Date.now() + 3_600_000) },
      { clock: new SystemClock(), forcePathStyle: true },
    );
  }
});

/** Everything the connection test needs except s3:PutObject. */
function policyWithoutPutObject(
  bucket: string,
  objectActions = ['s3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: objectActions,
        Resource: [`arn:aws:s3:::${bucket}/*`],
      },
      {
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:GetBucketCors', 's3:GetBucketLocation', 's3:GetBucketPolicy'],
        Resource: [`arn:aws:s3:::${bucket}`],
      },
    ],
  };
}

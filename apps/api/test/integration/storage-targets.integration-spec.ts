import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import {
  DeleteObjectCommand,
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  regenerateExternalIdResponseSchema,
  setupKitResponseSchema,
  storageTargetListResponseSchema,
  storageTargetSchema,
  type SetupKitResponse,
} from '@isola/contracts';
import { CredentialBroker } from '@isola/credentials';
import { PrismaClient, type Tenant } from '@isola/database';
import { createMembership, createStorageTarget, createTenant, createUser } from '@isola/database/seed';
import {
  DEFAULT_POLICY_NAME,
  LocalStackAdmin,
  createTestStudio,
  guardLoopback,
  httpStatusOf,
  loadLocalEnv,
  rgwClientConfig,
  testBucketName,
  withLocalAdmin,
  type ClientCredentials,
  type PolicyDocument,
  type StudioKitDocuments,
} from '@isola/local-stack';
import { buildSetupKit } from '@isola/tenant-storage';
import { readFile } from 'node:fs/promises';
import { CLOUDFORMATION_TEMPLATE_PATH } from '../../src/modules/storage-targets/cloudformation-template.js';
import { auditEventsFor } from '../support/audit-events.js';
import { sessionCookieFor } from '../support/sessions.js';
import { startTestApi, WEB_ORIGIN } from '../support/test-app.js';

/**
 * Issue 6, build item 1: a tenant admin lists and adds storage targets, reads the setup kit rendered
 * with the target's values, rotates its ExternalId; members and other studios are kept out. Then the
 * kit is applied to the real local RGW (its RGW 16 variants: trust without ExternalId, permission
 * policy without GetEncryptionConfiguration) and the platform principal works through the role,
 * inside the prefix only. Finally createTestStudio is shown to provision exactly the kit.
 */
const env = loadLocalEnv();
const ENDPOINT = env.endpoint;

describe('storage targets and the setup kit (real PostgreSQL, real RGW)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let admin: LocalStackAdmin;
  let tenant: Tenant;
  let other: Tenant;
  let adminCookie: string;
  let memberCookie: string;
  let otherAdminCookie: string;
  const cleanups: Array<() => Promise<void>> = [];

  const server = () => request(app.getHttpServer());
  const get = (path: string, cookie = adminCookie) => server().get(path).set('cookie', cookie);
  const post = (path: string, body: object = {}, cookie = adminCookie) =>
    server().post(path).set('origin', WEB_ORIGIN).set('cookie', cookie).send(body);
  const createBody = (bucket: string, prefix: string, roleArn = `arn:aws:iam:::role/${bucket}-access`) => ({
    bucket,
    region: env.region,
    prefix,
    roleArn,
    endpoint: ENDPOINT,
  });

  beforeAll(async () => {
    app = await startTestApi({ LOG_LEVEL: 'fatal' });
    prisma = app.get(PrismaClient);
    admin = new LocalStackAdmin(env);
    await admin.waitUntilReady(10_000);
    const studio = async () => {
      const t = await createTenant(prisma);
      const [a, m] = [await createUser(prisma), await createUser(prisma)];
      await createMembership(prisma, { userId: a.id, tenantId: t.id, role: 'admin' });
      await createMembership(prisma, { userId: m.id, tenantId: t.id, role: 'member' });
      return { t, adminCookie: await sessionCookieFor(app, a.id), memberCookie: await sessionCookieFor(app, m.id) };
    };
    const mine = await studio();
    const theirs = await studio();
    [tenant, adminCookie, memberCookie] = [mine.t, mine.adminCookie, mine.memberCookie];
    [other, otherAdminCookie] = [theirs.t, theirs.adminCookie];
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await prisma?.tenant.deleteMany({ where: { id: { in: [tenant?.id, other?.id].filter((id): id is string => Boolean(id)) } } });
    admin?.destroy();
    await app?.close();
  });

  describe('the API', () => {
    it('lists a studio’s targets for its admins only', async () => {
      const empty = await get('/api/tenant/storage/targets').expect(200);
      expect(storageTargetListResponseSchema.parse(empty.body)).toEqual({ items: [] });
      expect((await get('/api/tenant/storage/targets', memberCookie)).status).toBe(403);
      expect((await server().get('/api/tenant/storage/targets')).status).toBe(401);
    });

    it('adds an isolated target in pending with a fresh ExternalId it does not show, and audits it', async () => {
      const since = new Date();
      const bucket = testBucketName('targets-api');
      const res = await post('/api/tenant/storage/targets', createBody(bucket, 'studio/one')).expect(201);
      const dto = storageTargetSchema.parse(res.body);
      expect(dto).toMatchObject({
        mode: 'isolated',
        provider: 's3_compatible',
        bucket,
        prefix: 'studio/one',
        endpoint: ENDPOINT,
        status: 'pending',
        active: false,
        lastCheckAt: null,
        revokedAt: null,
      });
      const row = await prisma.storageTarget.findUniqueOrThrow({ where: { id: dto.id } });
      expect(row.tenantId).toBe(tenant.id);
      expect(row.externalId).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(res.text).not.toContain(row.externalId);
      const audit = await auditEventsFor(prisma, tenant.id, { since, action: 'target.create' });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ storageTargetId: dto.id, actorKind: 'user' });
      expect(audit[0]!.details).toMatchObject({ bucket, prefix: 'studio/one', endpoint: ENDPOINT });

      const listed = storageTargetListResponseSchema.parse((await get('/api/tenant/storage/targets').expect(200)).body);
      expect(listed.items.map((t) => t.id)).toEqual([dto.id]);
      expect((await get('/api/tenant/storage/targets', otherAdminCookie).expect(200)).body).toEqual({ items: [] });
    });

    it('answers 400 with one issue per broken rule, 409 on an overlapping prefix of the same bucket', async () => {
      const bad = await post('/api/tenant/storage/targets', {
        ...createBody('Bad.Bucket', '/x/'),
        roleArn: 'arn:aws:s3:::not-a-role',
      }).expect(400);
      expect(bad.body.code).toBe('STORAGE_TARGET_INVALID');
      const codes = (bad.body.details.issues as Array<{ field: string; code: string }>).map((i) => `${i.field}:${i.code}`);
      expect(codes).toEqual(
        expect.arrayContaining(['bucket:BUCKET_UPPERCASE', 'bucket:BUCKET_DOTS', 'prefix:PREFIX_SLASHES', 'roleArn:ROLE_ARN_SERVICE']),
      );
      expect((await post('/api/tenant/storage/targets', { bucket: 'x' }).expect(400)).body.code).toBe('VALIDATION_FAILED');

      const bucket = testBucketName('targets-dup');
      await post('/api/tenant/storage/targets', createBody(bucket, 'a/b')).expect(201);
      for (const prefix of ['a/b', 'a', 'a/b/c', '']) {
        const clash = await post('/api/tenant/storage/targets', createBody(bucket, prefix));
        expect([prefix, clash.status, clash.body.code]).toEqual([prefix, 409, 'STORAGE_TARGET_DUPLICATE']);
      }
      await post('/api/tenant/storage/targets', createBody(bucket, 'a/bc')).expect(201);
      // another studio may name the same bucket location: it is refused by the studio's trust policy, not here
      await post('/api/tenant/storage/targets', createBody(bucket, 'a/b'), otherAdminCookie).expect(201);
    });

    it('refuses members and cross-site requests', async () => {
      expect((await post('/api/tenant/storage/targets', createBody(testBucketName('m'), ''), memberCookie)).status).toBe(403);
      const noOrigin = await server()
        .post('/api/tenant/storage/targets')
        .set('cookie', adminCookie)
        .send(createBody(testBucketName('o'), ''));
      expect([noOrigin.status, noOrigin.body.code]).toEqual([403, 'CSRF_REJECTED']);
    });

    it('renders the setup kit with the target’s values, the chosen options and the templates', async () => {
      const bucket = testBucketName('kit-render');
      const created = storageTargetSchema.parse((await post('/api/tenant/storage/targets', createBody(bucket, 'isola')).expect(201)).body);
      const row = await prisma.storageTarget.findUniqueOrThrow({ where: { id: created.id } });

      const plain = setupKitResponseSchema.parse((await get(`/api/tenant/storage/targets/${created.id}/setup-kit`).expect(200)).body);
      const input = {
        platformPrincipalArns: ['arn:aws:iam:::user/isola-api', 'arn:aws:iam:::user/isola-worker'],
        externalId: row.externalId,
        bucket,
        prefix: 'isola',
        region: env.region,
        roleArn: row.roleArn,
        webOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
        deleteObjects: false,
      };
      expect(plain).toMatchObject({
        targetId: created.id,
        externalId: row.externalId,
        platformPrincipalArns: input.platformPrincipalArns,
        deleteObjects: false,
      });
      expect(plain.documents).toEqual(buildSetupKit(input));
      expect(plain.cloudFormation.template).toBe(await readFile(CLOUDFORMATION_TEMPLATE_PATH, 'utf8'));
      expect(plain.cloudFormation.parameters).toContainEqual({ ParameterKey: 'ExternalId', ParameterValue: row.externalId });
      expect(plain.terraform.moduleUsage).toContain(`external_id                   = "${row.externalId}"`);

      await prisma.tenant.update({ where: { id: tenant.id }, data: { deleteObjectsEnabled: true } });
      try {
        const query = 'transitionSourcesAfterDays=30&sourceIps=203.0.113.0/24,198.51.100.7&vpcEndpointId=vpce-0123456789abcdef0';
        const withOptions = setupKitResponseSchema.parse(
          (await get(`/api/tenant/storage/targets/${created.id}/setup-kit?${query}`).expect(200)).body,
        );
        expect(withOptions.options).toEqual({
          transitionSourcesAfterDays: 30,
          sourceIps: ['203.0.113.0/24', '198.51.100.7'],
          vpcEndpointId: 'vpce-0123456789abcdef0',
        });
        expect(withOptions.documents).toEqual(
          buildSetupKit({
            ...input,
            deleteObjects: true,
            transitionSourcesToIaAfterDays: 30,
            restrictToSourceIps: ['203.0.113.0/24', '198.51.100.7'],
            restrictToVpcEndpointId: 'vpce-0123456789abcdef0',
          }),
        );
      } finally {
        await prisma.tenant.update({ where: { id: tenant.id }, data: { deleteObjectsEnabled: false } });
      }

      for (const bad of ['transitionSourcesAfterDays=7', 'sourceIps=300.1.1.1', 'vpcEndpointId=vpc-1']) {
        const res = await get(`/api/tenant/storage/targets/${created.id}/setup-kit?${bad}`);
        expect([bad, res.status, res.body.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
      }
    });

    it('keeps other studios’ targets, malformed ids and hosted targets out of the kit and of ExternalId rotation', async () => {
      const theirs = await createStorageTarget(prisma, { tenantId: other.id, mode: 'isolated', bucket: testBucketName('theirs') });
      const hosted = await createStorageTarget(prisma, { tenantId: tenant.id, mode: 'hosted' });
      for (const id of [theirs.id, randomUUID(), 'not-a-uuid']) {
        const kit = await get(`/api/tenant/storage/targets/${id}/setup-kit`);
        const rotate = await post(`/api/tenant/storage/targets/${id}/external-id`);
        expect([kit.status, kit.body.code, rotate.status, rotate.body.code]).toEqual([
          404,
          'STORAGE_TARGET_NOT_FOUND',
          404,
          'STORAGE_TARGET_NOT_FOUND',
        ]);
      }
      expect((await get(`/api/tenant/storage/targets/${hosted.id}/setup-kit`).expect(409)).body.code).toBe('STORAGE_TARGET_NOT_ISOLATED');
      const res = await get(`/api/tenant/storage/targets/${theirs.id}/setup-kit`);
      expect(res.text).not.toContain(theirs.externalId);
      expect((await get(`/api/tenant/storage/targets/${hosted.id}/setup-kit`, memberCookie)).status).toBe(403);
      const unchanged = await prisma.storageTarget.findUniqueOrThrow({ where: { id: theirs.id } });
      expect(unchanged.externalId).toBe(theirs.externalId);
    });

    it('regenerates the ExternalId of a target not in use (verified → pending), audited, broker cache dropped; 409 when active', async () => {
      const broker = app.get(CredentialBroker);
      const original = broker.invalidate.bind(broker);
      const invalidated: string[] = [];
      broker.invalidate = (targetId: string) => {
        invalidated.push(targetId);
        original(targetId);
      };
      try {
        const since = new Date();
        const target = await createStorageTarget(prisma, {
          tenantId: tenant.id,
          mode: 'isolated',
          bucket: testBucketName('rotate'),
          status: 'verified',
        });
        const res = await post(`/api/tenant/storage/targets/${target.id}/external-id`).expect(200);
        const body = regenerateExternalIdResponseSchema.parse(res.body);
        expect(body.status).toBe('pending');
        expect(body.externalId).not.toBe(target.externalId);
        expect((await prisma.storageTarget.findUniqueOrThrow({ where: { id: target.id } })).externalId).toBe(body.externalId);
        expect(invalidated).toEqual([target.id]);
        const audit = await auditEventsFor(prisma, tenant.id, { since, action: 'target.external_id.regenerate' });
        expect(audit.map((e) => [e.storageTargetId, e.details])).toEqual([[target.id, { previousStatus: 'verified', status: 'pending' }]]);
        expect(JSON.stringify(audit)).not.toContain(body.externalId);

        const kit = setupKitResponseSchema.parse((await get(`/api/tenant/storage/targets/${target.id}/setup-kit`).expect(200)).body);
        expect(kit.documents.trustPolicy).toMatchObject({
          Statement: [{ Condition: { StringEquals: { 'sts:ExternalId': body.externalId } } }],
        });

        const active = await createStorageTarget(
          prisma,
          { tenantId: tenant.id, mode: 'isolated', bucket: testBucketName('rotate-active') },
          { activate: true },
        );
        const refused = await post(`/api/tenant/storage/targets/${active.id}/external-id`).expect(409);
        expect(refused.body.code).toBe('STORAGE_TARGET_WRONG_STATE');
        expect(refused.body.message).toMatch(/trust policy/);
        expect((await prisma.storageTarget.findUniqueOrThrow({ where: { id: active.id } })).externalId).toBe(active.externalId);
        const listed = storageTargetListResponseSchema.parse((await get('/api/tenant/storage/targets').expect(200)).body);
        expect(listed.items.filter((t) => t.active).map((t) => t.id)).toEqual([active.id]);
        expect((await post(`/api/tenant/storage/targets/${target.id}/external-id`, {}, memberCookie)).status).toBe(403);
      } finally {
        broker.invalidate = original;
        await prisma.tenant.update({ where: { id: tenant.id }, data: { activeTargetId: null } });
      }
    });
  });

  describe('the kit on the local RGW', () => {
    const sts = guardLoopback(
      new STSClient({
        endpoint: env.endpoint,
        region: env.region,
        credentials: { accessKeyId: env.api.accessKeyId, secretAccessKey: env.api.secretAccessKey },
      }),
    );
    const s3 = (c: ClientCredentials) => guardLoopback(new S3Client(rgwClientConfig(env, c)));
    const statusOf = (call: Promise<unknown>) =>
      call.then(
        () => 200,
        (error: unknown) => httpStatusOf(error) ?? -1,
      );
    afterAll(() => sts.destroy());

    /** The RGW 16 variants of the kit's documents, as a studio on Ceph would apply them. */
    const rgwDocuments = (kit: SetupKitResponse): StudioKitDocuments =>
      ({
        trustPolicy: kit.documents.trustPolicyWithoutExternalId,
        permissionPolicy: kit.documents.permissionPolicyForCephRgw16,
        bucketCors: kit.documents.bucketCors,
        bucketLifecycle: kit.documents.bucketLifecycle,
        bucketPolicy: kit.documents.bucketPolicy,
      }) as unknown as StudioKitDocuments;

    it('is accepted by RGW as served, and the platform principal works through the role inside the prefix only', async () => {
      const bucket = testBucketName('kit-apply');
      const roleName = `${bucket}-access`;
      cleanups.push(async () => {
        await admin.deleteRole(roleName);
        await admin.emptyAndDeleteBucket(bucket);
      });
      const created = storageTargetSchema.parse(
        (await post('/api/tenant/storage/targets', createBody(bucket, 'isola/kit')).expect(201)).body,
      );
      // with the optional IA rule (tag filter) and network restriction: RGW accepts both documents
      const kit = setupKitResponseSchema.parse(
        (
          await get(`/api/tenant/storage/targets/${created.id}/setup-kit?transitionSourcesAfterDays=30&sourceIps=203.0.113.0/24`).expect(
            200,
          )
        ).body,
      );
      const roleArn = await admin.applyStudioKit({ bucket, roleName, documents: rgwDocuments(kit) });
      expect(roleArn).toBe(created.roleArn);
      // what RGW holds is what was served
      expect(await readBack(admin, bucket, roleName)).toEqual(normalised(rgwDocuments(kit), bucket));

      const assumed = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 'isola-test-setup-kit',
          ExternalId: kit.externalId,
          DurationSeconds: 900,
        }),
      );
      const c = assumed.Credentials!;
      const client = s3({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
      try {
        const key = `isola/kit/media/${randomUUID()}/source/clip.mp4`;
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'media bytes' }));
        const read = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        expect(await read.Body!.transformToString()).toBe('media bytes');
        const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'isola/kit/' }));
        expect(listed.Contents?.map((o) => o.Key)).toEqual([key]);
        expect(await statusOf(client.send(new GetBucketCorsCommand({ Bucket: bucket })))).toBe(200);
        expect(await statusOf(client.send(new GetBucketPolicyCommand({ Bucket: bucket })))).toBe(200);
        expect(await statusOf(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })))).toBe(200);

        // outside the prefix (including a sibling that merely starts with it), listing the bucket, deleting without opt-in
        for (const outside of ['elsewhere/clip.mp4', 'isola/kitten/clip.mp4', 'clip.mp4']) {
          expect([outside, await statusOf(client.send(new PutObjectCommand({ Bucket: bucket, Key: outside, Body: 'x' })))]).toEqual([
            outside,
            403,
          ]);
        }
        await admin.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'private/studio.txt', Body: 'not for Isola' }));
        expect(await statusOf(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'private/studio.txt' })))).toBe(403);
        expect(await statusOf(client.send(new ListObjectsV2Command({ Bucket: bucket })))).toBe(403);
        expect(await statusOf(client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'private/' })))).toBe(403);
        expect(await statusOf(client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })))).toBe(403);
      } finally {
        client.destroy();
      }
    });

    it('createTestStudio provisions exactly the kit’s RGW documents (whole bucket with deletes, or a prefix without)', async () => {
      for (const options of [{}, { prefix: 'tenant/a', deleteObjects: false }]) {
        const studio = await createTestStudio(admin, { label: 'kit-drift', ...options });
        cleanups.push(() => studio.destroy());
        const kit = buildSetupKit({
          platformPrincipalArns: admin.platformPrincipalArns(),
          externalId: 'unused-by-the-rgw-variants',
          bucket: studio.bucket,
          prefix: options.prefix ?? '',
          region: env.region,
          roleArn: studio.roleArn,
          webOrigins: env.webOrigins,
          deleteObjects: options.deleteObjects ?? true,
        });
        const expected = {
          trustPolicy: kit.trustPolicyWithoutExternalId,
          permissionPolicy: kit.permissionPolicyForCephRgw16,
          bucketCors: kit.bucketCors,
          bucketLifecycle: kit.bucketLifecycle,
          bucketPolicy: kit.bucketPolicy,
        } as unknown as StudioKitDocuments;
        expect(await readBack(admin, studio.bucket, studio.roleName)).toEqual(normalised(expected, studio.bucket));
      }
    });
  });

  /** The documents RGW holds for a studio, in the kit's JSON form (the local admin's statement included). */
  async function readBack(a: LocalStackAdmin, bucket: string, roleName: string) {
    const role = await a.iam.send(new GetRoleCommand({ RoleName: roleName }));
    const policy = await a.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: DEFAULT_POLICY_NAME }));
    const cors = await a.s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
    const lifecycle = await a.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    const bucketPolicy = await a.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    return {
      trustPolicy: parsePolicy(role.Role!.AssumeRolePolicyDocument!),
      permissionPolicy: parsePolicy(policy.PolicyDocument!),
      bucketCors: {
        CORSRules: (cors.CORSRules ?? []).map((rule) => ({ ...rule, AllowedOrigins: [...(rule.AllowedOrigins ?? [])].sort() })),
      },
      // RGW answers an And filter as {Prefix, Tag} and an empty-prefix filter as the legacy top-level
      // Prefix: read them back in the form the kit (S3's documented JSON) uses
      bucketLifecycle: {
        Rules: (lifecycle.Rules ?? []).map(({ Filter, Prefix, ...rule }) => {
          const f = Filter as { Prefix?: string; Tag?: { Key: string; Value: string }; And?: unknown } | undefined;
          return { ...rule, Filter: f === undefined ? { Prefix } : f.Tag ? { And: { Prefix: f.Prefix, Tags: [f.Tag] } } : f };
        }),
      },
      bucketPolicy: parsePolicy(bucketPolicy.Policy!),
    };
  }

  /** The expected documents, as RGW hands them back: CORS origins sorted, the local admin added. */
  function normalised(documents: StudioKitDocuments, bucket: string) {
    return {
      ...documents,
      bucketCors: {
        CORSRules: documents.bucketCors.CORSRules.map((rule) => ({ ...rule, AllowedOrigins: [...rule.AllowedOrigins].sort() })),
      },
      bucketPolicy: withLocalAdmin(documents.bucketPolicy, bucket, `arn:aws:iam:::user/${env.admin.userId}`),
    };
  }
});

function parsePolicy(text: string): PolicyDocument {
  try {
    return JSON.parse(text) as PolicyDocument;
  } catch {
    return JSON.parse(decodeURIComponent(text)) as PolicyDocument;
  }
}

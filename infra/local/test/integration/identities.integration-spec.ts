import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  createTestStudio,
  guardLoopback,
  httpStatusOf,
  loadLocalEnv,
  LocalStackAdmin,
  rgwClientConfig,
  type ClientCredentials,
  type TestStudio,
} from '../../src/index.js';

/**
 * The identities of DECISIONS.md, proven against the real Ceph RGW: the platform principals' own keys
 * open nothing, AssumeRole on a studio's role works, and S3 itself keeps the resulting credentials
 * inside that studio's bucket. A CORS preflight from the web origin is answered with ETag exposed.
 */
const env = loadLocalEnv();
const s3 = (c: ClientCredentials) => guardLoopback(new S3Client(rgwClientConfig(env, c)));
const iam = (c: ClientCredentials) => {
  const { endpoint, region, credentials } = rgwClientConfig(env, c);
  return guardLoopback(new IAMClient({ endpoint, region, credentials }));
};
const sts = (c: ClientCredentials) => {
  const { endpoint, region, credentials } = rgwClientConfig(env, c);
  return guardLoopback(new STSClient({ endpoint, region, credentials }));
};

async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    return httpStatusOf(error) ?? -1;
  }
}

describe('platform identities on the local RGW', () => {
  const admin = new LocalStackAdmin(env);
  let studio: TestStudio;
  let neighbour: TestStudio;

  beforeAll(async () => {
    studio = await createTestStudio(admin, { label: 'ident' });
    neighbour = await createTestStudio(admin, { label: 'ident-other' });
    await admin.s3.send(new PutObjectCommand({ Bucket: studio.bucket, Key: 'media/existing.txt', Body: 'studio data' }));
    await admin.s3.send(new PutObjectCommand({ Bucket: neighbour.bucket, Key: 'media/other.txt', Body: 'other data' }));
  });

  afterAll(async () => {
    await studio?.destroy();
    await neighbour?.destroy();
    admin.destroy();
  });

  it.each([
    ['API', env.api],
    ['worker', env.worker],
  ])('the %s principal’s own keys get 403 on a studio bucket and on IAM', async (_name, keys) => {
    const client = s3(keys);
    expect(await statusOf(client.send(new GetObjectCommand({ Bucket: studio.bucket, Key: 'media/existing.txt' })))).toBe(403);
    expect(await statusOf(client.send(new PutObjectCommand({ Bucket: studio.bucket, Key: 'media/x.txt', Body: 'x' })))).toBe(403);
    expect(await statusOf(client.send(new ListObjectsV2Command({ Bucket: studio.bucket })))).toBe(403);
    expect(await statusOf(iam(keys).send(new ListRolesCommand({})))).toBe(403);
    expect(await statusOf(iam(keys).send(new GetRoleCommand({ RoleName: studio.roleName })))).toBe(403);
  });

  it('the API principal assumes the studio role (ExternalId sent) and S3 refuses those credentials outside the studio bucket', async () => {
    const assumed = await sts(env.api).send(
      new AssumeRoleCommand({
        RoleArn: studio.roleArn,
        RoleSessionName: 'isola-test-identities',
        ExternalId: 'sent-always-rgw-ignores-it',
        DurationSeconds: 900,
      }),
    );
    const c = assumed.Credentials;
    expect(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken).toBeTruthy();
    const temp = s3({ accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! });

    // inside the studio bucket: allowed by the role
    const got = await temp.send(new GetObjectCommand({ Bucket: studio.bucket, Key: 'media/existing.txt' }));
    expect(await got.Body?.transformToString()).toBe('studio data');
    // anywhere else: refused by S3 itself
    expect(await statusOf(temp.send(new GetObjectCommand({ Bucket: neighbour.bucket, Key: 'media/other.txt' })))).toBe(403);
    expect(await statusOf(temp.send(new PutObjectCommand({ Bucket: neighbour.bucket, Key: 'media/y.txt', Body: 'y' })))).toBe(403);
    expect(await statusOf(temp.send(new PutObjectCommand({ Bucket: env.hosted.bucket, Key: 'tenants/x/y.txt', Body: 'y' })))).toBe(403);
  });

  it('a principal the role does not trust cannot assume it', async () => {
    const denied = await statusOf(
      sts(env.admin).send(
        new AssumeRoleCommand({ RoleArn: studio.roleArn, RoleSessionName: 'isola-test-untrusted', DurationSeconds: 900 }),
      ),
    );
    expect(denied).toBe(403);
  });

  it('answers a CORS preflight from the web origin with that origin, PUT allowed and ETag exposed', async () => {
    const origin = 'http://localhost:5173';
    const res = await fetch(`${env.endpoint}/${studio.bucket}/media/upload.bin`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(res.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('etag');

    const stranger = await fetch(`${env.endpoint}/${studio.bucket}/media/upload.bin`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });
});

import { setTimeout as sleep } from 'node:timers/promises';

import { LocalStackAdmin, createTestStudio, loadLocalEnv, type LocalStackEnv, type TestStudio } from '@isola/local-stack';
import { SystemClock } from '@isola/runtime';
import { S3ObjectStoreFactory, probeKey, renditionKey, sourceKey, type ObjectStore, type StorageTargetRef } from '@isola/tenant-storage';

import { AwsStsGateway } from '../../src/aws-sts-gateway.adapter.js';
import type { CredentialScope } from '../../src/credential-scope.js';
import { StsCredentialBroker } from '../../src/sts-credential-broker.js';
import { RecordingCredentialEvents } from '../../src/testing/recording-credential-events.js';
import { localTarget, putObjects, readAs, writeAs } from './local-targets.js';

/**
 * S3 itself refuses what a credential's session policy does not allow — the local Ceph RGW
 * enforcing the policies the broker sends. One broker serves an isolated studio (its own bucket and
 * role, whole-bucket prefix) and two hosted tenants (the platform's bucket and role, one prefix each).
 */
let env: LocalStackEnv;
let admin: LocalStackAdmin;
let isolatedStudio: TestStudio;
let hostedStudio: TestStudio;
let gateway: AwsStsGateway;
let broker: StsCredentialBroker;
let stores: S3ObjectStoreFactory;
let isolated: StorageTargetRef;
let tenantA: StorageTargetRef;
let tenantB: StorageTargetRef;

const A = 'media-a';
const B = 'media-b';
const U = 'media-u';
const srcA = (prefix: string) => sourceKey(prefix, A, 'a.mp4');
const srcB = (prefix: string) => sourceKey(prefix, B, 'b.mp4');

beforeAll(async () => {
  env = loadLocalEnv();
  admin = new LocalStackAdmin(env);
  await admin.waitUntilReady(10_000);
  [isolatedStudio, hostedStudio] = await Promise.all([
    createTestStudio(admin, { label: 'scoped-isolated' }),
    createTestStudio(admin, { label: 'scoped-hosted' }),
  ]);
  isolated = localTarget(env, isolatedStudio, 'isolated', '');
  tenantA = localTarget(env, hostedStudio, 'hosted', 'tenants/a');
  tenantB = localTarget(env, hostedStudio, 'hosted', 'tenants/b');

  gateway = new AwsStsGateway({ principal: env.api });
  broker = new StsCredentialBroker(gateway, new SystemClock(), new RecordingCredentialEvents());
  stores = new S3ObjectStoreFactory();

  await putObjects(env, stores, isolatedStudio, {
    [srcA('')]: 'source A',
    [srcB('')]: 'source B',
    [renditionKey('', B, '720p.mp4')]: 'rendition B',
    'outside/readme.txt': 'not media',
    [probeKey('', 'probe.txt')]: 'probe',
  });
  await putObjects(env, stores, hostedStudio, {
    [srcA('tenants/a')]: 'tenant a source',
    [srcA('tenants/b')]: 'tenant b source',
  });
});

afterAll(async () => {
  stores?.destroy();
  gateway?.destroy();
  await isolatedStudio?.destroy();
  await hostedStudio?.destroy();
  admin?.destroy();
});

async function storeFor(target: StorageTargetRef, scope: CredentialScope): Promise<ObjectStore> {
  return stores.forCredentials(target, await broker.getCredentials(target, scope, { tenantSlug: 'scoped-test' }));
}

describe('isolated studio', () => {
  it('upload credentials write their one source key and nothing else, and read nothing', async () => {
    const key = sourceKey('', U, 'upload.mp4');
    const store = await storeFor(isolated, { purpose: 'upload', mediaId: U, sourceKey: key });
    expect(await writeAs(store, key)).toBe('ok');
    const { uploadId } = await store.createMultipartUpload({ key, contentType: 'video/mp4' });
    await store.abortMultipartUpload({ key, uploadId });

    expect(await writeAs(store, srcB(''))).toBe('PERMISSION_DENIED');
    expect(await writeAs(store, sourceKey('', U, 'other-name.mp4'))).toBe('PERMISSION_DENIED');
    expect(await writeAs(store, renditionKey('', U, '720p.mp4'))).toBe('PERMISSION_DENIED');
    expect(await readAs(store, key)).toBe('PERMISSION_DENIED');
    expect(await readAs(store, srcA(''))).toBe('PERMISSION_DENIED');
  });

  it("transcode credentials read their media's source and write its renditions only", async () => {
    const grantExpiresAt = new Date(Date.now() + 30 * 60_000);
    const store = await storeFor(isolated, { purpose: 'transcode', mediaId: B, sourceKey: srcB(''), grantExpiresAt });
    expect(await readAs(store, srcB(''))).toBe('source B');
    expect(await writeAs(store, renditionKey('', B, '480p.mp4'))).toBe('ok');

    expect(await readAs(store, srcA(''))).toBe('PERMISSION_DENIED');
    expect(await writeAs(store, renditionKey('', A, '480p.mp4'))).toBe('PERMISSION_DENIED');
    expect(await writeAs(store, srcB(''))).toBe('PERMISSION_DENIED');
  });

  it("link credentials only read, and only inside the tenant's media prefix", async () => {
    const store = await storeFor(isolated, { purpose: 'link' });
    expect(await readAs(store, srcA(''))).toBe('source A');
    expect(await readAs(store, renditionKey('', B, '720p.mp4'))).toBe('rendition B');

    expect(await writeAs(store, srcA(''))).toBe('PERMISSION_DENIED');
    expect(await writeAs(store, renditionKey('', A, 'new.mp4'))).toBe('PERMISSION_DENIED');
    expect(await readAs(store, 'outside/readme.txt')).toBe('PERMISSION_DENIED');
    expect(await readAs(store, probeKey('', 'probe.txt'))).toBe('PERMISSION_DENIED');
  });

  it('transcode credentials are refused by S3 itself once the grant has ended', async () => {
    const grantExpiresAt = new Date(Math.ceil((Date.now() + 5_000) / 1000) * 1000);
    const credentials = await broker.getCredentials(isolated, { purpose: 'transcode', mediaId: A, sourceKey: srcA(''), grantExpiresAt });
    expect(credentials.expiresAt).toEqual(grantExpiresAt);
    const store = stores.forCredentials(isolated, credentials);
    expect(await readAs(store, srcA(''))).toBe('source A');

    await sleep(grantExpiresAt.getTime() - Date.now() + 1_000);
    // RGW's own answer (403 AccessDenied), not a client-side refusal of an expired credential
    await expect(store.getObject(srcA(''))).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      details: { httpStatus: 403, awsCode: 'AccessDenied', operation: 'GetObject' },
    });
  }, 20_000);
});

describe('hosted tenants in one bucket', () => {
  it("tenant A's link credentials cannot read tenant B's prefix, and the other way round", async () => {
    const linksA = await storeFor(tenantA, { purpose: 'link' });
    const linksB = await storeFor(tenantB, { purpose: 'link' });
    expect(await readAs(linksA, srcA('tenants/a'))).toBe('tenant a source');
    expect(await readAs(linksB, srcA('tenants/b'))).toBe('tenant b source');

    // The store itself refuses keys outside its target's prefix; give S3 the chance to refuse too.
    const crossA = stores.forCredentials({ ...tenantA, prefix: 'tenants' }, await broker.getCredentials(tenantA, { purpose: 'link' }));
    const crossB = stores.forCredentials({ ...tenantB, prefix: 'tenants' }, await broker.getCredentials(tenantB, { purpose: 'link' }));
    expect(await readAs(crossA, srcA('tenants/b'))).toBe('PERMISSION_DENIED');
    expect(await readAs(crossB, srcA('tenants/a'))).toBe('PERMISSION_DENIED');

    const link = await crossA.presignGet({ key: srcA('tenants/b') });
    expect((await fetch(link.url)).status).toBe(403);
  });

  it("tenant A's upload credentials cannot write into tenant B's prefix", async () => {
    const scope: CredentialScope = { purpose: 'upload', mediaId: 'media-up', sourceKey: sourceKey('tenants/a', 'media-up', 'u.mp4') };
    const credentials = await broker.getCredentials(tenantA, scope);
    const cross = stores.forCredentials({ ...tenantA, prefix: 'tenants' }, credentials);
    expect(await writeAs(cross, sourceKey('tenants/a', 'media-up', 'u.mp4'))).toBe('ok');
    expect(await writeAs(cross, sourceKey('tenants/b', 'media-up', 'u.mp4'))).toBe('PERMISSION_DENIED');
    expect(await writeAs(cross, sourceKey('tenants/b', 'media-b', 'b.mp4'))).toBe('PERMISSION_DENIED');
  });
});

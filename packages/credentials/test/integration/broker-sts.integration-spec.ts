import { LocalStackAdmin, createTestStudio, loadLocalEnv, type LocalStackEnv, type TestStudio } from '@isola/local-stack';
import { ManualClock, SystemClock } from '@isola/runtime';
import { S3ObjectStoreFactory, StorageError, renditionKey, sourceKey, type StorageTargetRef } from '@isola/tenant-storage';

import { AwsStsGateway } from '../../src/aws-sts-gateway.adapter.js';
import type { CredentialScope } from '../../src/credential-scope.js';
import { LinkSigner } from '../../src/link-signer.js';
import { StsCredentialBroker, type StsCredentialBrokerOptions } from '../../src/sts-credential-broker.js';
import { RecordingCredentialEvents } from '../../src/testing/recording-credential-events.js';
import { startCountingStsProxy, type CountingStsProxy } from './counting-sts-proxy.js';
import { localTarget, putObjects, readAs, writeAs } from './local-targets.js';

/**
 * The broker against the real local STS (Ceph RGW), with AssumeRole calls counted on the wire by a
 * proxy in front of it: caching, single flight, and revocation when the studio deletes its role.
 */
let env: LocalStackEnv;
let admin: LocalStackAdmin;
let proxy: CountingStsProxy;
let gateway: AwsStsGateway;
let stores: S3ObjectStoreFactory;

beforeAll(async () => {
  env = loadLocalEnv();
  admin = new LocalStackAdmin(env);
  await admin.waitUntilReady(10_000);
  proxy = await startCountingStsProxy(env.endpoint);
  gateway = new AwsStsGateway({ principal: env.api });
  stores = new S3ObjectStoreFactory();
});

afterAll(async () => {
  stores?.destroy();
  gateway?.destroy();
  await proxy?.close();
  admin?.destroy();
});

function brokerFor(clock = new SystemClock(), options: StsCredentialBrokerOptions = {}) {
  const events = new RecordingCredentialEvents();
  const broker = new StsCredentialBroker(gateway, clock, events, { stsEndpoint: () => proxy.url, ...options });
  return { broker, events };
}

/** Runs `action` and returns how many AssumeRole calls reached RGW meanwhile. */
async function countCalls(action: () => Promise<unknown>): Promise<number> {
  const before = proxy.assumeRoleCalls;
  await action();
  return proxy.assumeRoleCalls - before;
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof StorageError ? error.code : `not a StorageError: ${String(error)}`),
  );

describe('AssumeRole calls', () => {
  let studio: TestStudio;
  let target: StorageTargetRef;

  beforeAll(async () => {
    studio = await createTestStudio(admin, { label: 'broker-calls' });
    target = localTarget(env, studio, 'isolated', 'studio');
    await putObjects(
      env,
      stores,
      studio,
      Object.fromEntries([0, 1, 2].map((i) => [renditionKey('studio', `m${i}`, '720p.mp4'), `video ${i}`])),
    );
  });
  afterAll(() => studio?.destroy());

  it('50 concurrent first requests make one AssumeRole', async () => {
    const { broker, events } = brokerFor();
    let results: unknown[] = [];
    const calls = await countCalls(async () => {
      results = await Promise.all(Array.from({ length: 50 }, () => broker.getCredentials(target, { purpose: 'link' })));
    });
    expect(calls).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(events.issued).toHaveLength(1);
  });

  it('1,000 links inside one credential lifetime make one AssumeRole, and the links work', async () => {
    const { broker } = brokerFor();
    const links = new LinkSigner(broker, stores, new SystemClock());
    const urls: string[] = [];
    const calls = await countCalls(async () => {
      for (let i = 0; i < 1000; i += 1) {
        urls.push((await links.signLink(target, { key: renditionKey('studio', `m${i}`, '720p.mp4'), filename: `video ${i}.mp4` })).url);
      }
    });
    expect(calls).toBe(1);
    expect(new Set(urls).size).toBe(1000);
    for (const i of [0, 1, 2]) {
      const response = await fetch(urls[i] ?? '');
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(`video ${i}`);
    }
  });
});

describe('revocation', () => {
  let studio: TestStudio;
  let target: StorageTargetRef;
  const link: CredentialScope = { purpose: 'link' };
  const upload = (mediaId: string): CredentialScope => ({ purpose: 'upload', mediaId, sourceKey: sourceKey('', mediaId, 'a.mp4') });

  beforeAll(async () => {
    studio = await createTestStudio(admin, { label: 'broker-revoke' });
    target = localTarget(env, studio, 'isolated', '');
    await putObjects(env, stores, studio, { [sourceKey('', 'm1', 'a.mp4')]: 'source' });
  });
  afterAll(() => studio?.destroy());

  it('an out-of-scope 403 is confirmed as PERMISSION_DENIED, not a revocation', async () => {
    const { broker, events } = brokerFor();
    const store = stores.forCredentials(target, await broker.getCredentials(target, link));
    const denied = await store
      .putObject({ key: sourceKey('', 'm1', 'a.mp4'), body: 'x', contentType: 'text/plain' })
      .catch((e: unknown) => e);
    expect(denied).toMatchObject({ code: 'PERMISSION_DENIED', details: { httpStatus: 403 } });

    let verdict: StorageError | undefined;
    expect(await countCalls(async () => (verdict = await broker.confirmDenial(target, link)))).toBe(1);
    expect(verdict?.code).toBe('PERMISSION_DENIED');
    expect(events.revocations).toHaveLength(0);
    expect(await readAs(store, sourceKey('', 'm1', 'a.mp4'))).toBe('source');
  });

  it('a deleted role: STORAGE_ACCESS_REVOKED, cache dropped, one event, one AssumeRole per backoff step', async () => {
    const clock = new ManualClock(new Date());
    const { broker, events } = brokerFor(clock, { revocationBackoff: { initialMs: 1_000, maxMs: 4_000 } });
    const oldLink = await broker.getCredentials(target, link);
    await broker.getCredentials(target, upload('m1'));
    const oldStore = stores.forCredentials(target, oldLink);
    expect(await readAs(oldStore, sourceKey('', 'm1', 'a.mp4'))).toBe('source');

    await admin.deleteRole(studio.roleName);

    // RGW stops issued credentials at once; the caller reports S3's 403 and the broker confirms it
    expect(await readAs(oldStore, sourceKey('', 'm1', 'a.mp4'))).toBe('PERMISSION_DENIED');
    let verdict: StorageError | undefined;
    expect(await countCalls(async () => (verdict = await broker.confirmDenial(target, link)))).toBe(1);
    expect(verdict).toMatchObject({ code: 'STORAGE_ACCESS_REVOKED', details: { httpStatus: 404, operation: 'AssumeRole' } });
    expect(events.revocations).toHaveLength(1);
    expect(events.revocations[0]?.target.id).toBe(target.id);

    // cached credentials are gone: no old credential comes back, and no call reaches STS
    const burst = async () => {
      const codes = await Promise.all([
        codeOf(broker.getCredentials(target, link)),
        codeOf(broker.getCredentials(target, upload('m1'))),
        ...Array.from({ length: 20 }, (_, i) => codeOf(broker.getCredentials(target, upload(`m${i % 5}`)))),
      ]);
      expect(new Set(codes)).toEqual(new Set(['STORAGE_ACCESS_REVOKED']));
    };
    expect(await countCalls(burst)).toBe(0);

    clock.advance(1_000); // step 0 over: exactly one re-check
    expect(await countCalls(burst)).toBe(1);
    clock.advance(1_000); // step 1 lasts 2 s
    expect(await countCalls(burst)).toBe(0);
    clock.advance(1_000);
    expect(await countCalls(burst)).toBe(1);
    clock.advance(4_000); // capped at 4 s
    expect(await countCalls(burst)).toBe(1);
    expect(events.revocations).toHaveLength(1);

    // the studio recreates the role: the next re-check succeeds and ends the backoff
    await admin.ensureRole({
      roleName: studio.roleName,
      trustedPrincipalArns: admin.platformPrincipalArns(),
      permissionPolicy: admin.bucketRolePolicy(studio.bucket),
    });
    clock.advance(4_000);
    let fresh: Awaited<ReturnType<typeof broker.getCredentials>> | undefined;
    expect(await countCalls(async () => (fresh = await broker.getCredentials(target, link)))).toBe(1);
    expect(fresh?.accessKeyId).not.toBe(oldLink.accessKeyId);
    expect(events.restored).toHaveLength(1);
    expect(await readAs(stores.forCredentials(target, fresh!), sourceKey('', 'm1', 'a.mp4'))).toBe('source');
    expect(
      await writeAs(stores.forCredentials(target, await broker.getCredentials(target, upload('m9'))), sourceKey('', 'm9', 'a.mp4')),
    ).toBe('ok');
  });
});

describe('STS failures', () => {
  it('an unreachable STS is STORAGE_UNAVAILABLE, retried, and no revocation', async () => {
    const studio = { roleArn: 'arn:aws:iam:::role/unreachable', bucket: 'unreachable-bucket' } as TestStudio;
    const target = localTarget(env, studio, 'isolated', '');
    const events = new RecordingCredentialEvents();
    const attempts: number[] = [];
    const broker = new StsCredentialBroker(gateway, new SystemClock(), events, {
      stsEndpoint: () => 'http://127.0.0.1:9', // discard port: nothing listens
      retry: { maxRetries: 2, jitter: () => 0 },
      sleep: async (ms) => void attempts.push(ms),
    });
    const error = await broker.getCredentials(target, { purpose: 'link' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE', retryable: true, details: { service: 'sts', operation: 'AssumeRole' } });
    expect(attempts).toHaveLength(2);
    expect(events.revocations).toHaveLength(0);
  });

  it('keeps one STS client per endpoint and region', () => {
    // the proxy and the unreachable endpoint, both in the local region
    expect(gateway.clientCount).toBe(2);
  });
});

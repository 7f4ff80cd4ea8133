import { ManualClock } from '@isola/runtime';
import { StorageError, sourceKey, type StorageTargetRef } from '@isola/tenant-storage';

import { buildSessionPolicy } from './build-session-policy.js';
import type { CredentialScope } from './credential-scope.js';
import { buildRoleSessionName } from './role-session-name.js';
import { StsCredentialBroker, type StsCredentialBrokerOptions } from './sts-credential-broker.js';
import { InMemoryStsGateway, stsError } from './testing/in-memory-sts-gateway.js';
import { RecordingCredentialEvents } from './testing/recording-credential-events.js';

const isolated: StorageTargetRef = {
  id: 'target-aurora',
  tenantId: '5b0e8d7c-1111-4222-8333-944455556666',
  mode: 'isolated',
  provider: 's3_compatible',
  endpoint: 'https://s3.studio.example',
  region: 'us-east-1',
  bucket: 'aurora-media',
  prefix: 'isola',
  roleArn: 'arn:aws:iam::123456789012:role/isola-access',
  externalId: 'ext-aurora-1',
};
const hosted: StorageTargetRef = {
  ...isolated,
  id: 'target-harbor',
  tenantId: 'harbor-tenant',
  mode: 'hosted',
  bucket: 'isola-hosted',
  prefix: 'tenants/harbor',
  roleArn: 'arn:aws:iam::123456789012:role/isola-hosted',
  externalId: 'ext-hosted',
};

const upload = (mediaId = 'm1'): CredentialScope => ({ purpose: 'upload', mediaId, sourceKey: sourceKey('isola', mediaId, 'clip.mp4') });
const link: CredentialScope = { purpose: 'link' };

const BACKOFF = { initialMs: 1_000, maxMs: 4_000 };

function setup(options: StsCredentialBrokerOptions = {}) {
  const clock = new ManualClock(new Date('2030-01-01T12:00:00Z'));
  const sts = new InMemoryStsGateway(clock);
  const events = new RecordingCredentialEvents();
  const sleeps: number[] = [];
  const broker = new StsCredentialBroker(sts, clock, events, {
    revocationBackoff: BACKOFF,
    retry: { jitter: () => 0.5 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { clock, sts, events, broker, sleeps };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof StorageError ? error.code : `not a StorageError: ${String(error)}`),
  );

describe('StsCredentialBroker: AssumeRole parameters', () => {
  it('sends the role, ExternalId, session name, purpose duration and session policy', async () => {
    const { sts, broker, clock } = setup();
    const scope = upload();
    const credentials = await broker.getCredentials(isolated, scope, { tenantSlug: 'aurora', actor: 'user:1' });

    const sessionName = buildRoleSessionName({ purpose: 'upload', tenantId: isolated.tenantId, tenantSlug: 'aurora', id: 'm1' });
    expect(sts.calls).toEqual([
      {
        roleArn: isolated.roleArn,
        externalId: 'ext-aurora-1',
        sessionName,
        durationSeconds: 900,
        policyJson: buildSessionPolicy(isolated, scope).json,
        region: 'us-east-1',
        endpoint: 'https://s3.studio.example',
        targetId: 'target-aurora',
      },
    ]);
    expect(credentials).toEqual({
      accessKeyId: 'ASIAFAKE1',
      secretAccessKey: 'secret-1',
      sessionToken: 'token-1',
      expiresAt: new Date(clock.now().getTime() + 900_000),
      sessionName,
      purpose: 'upload',
      scope,
      policyKeys: ['isola/media/m1/source/clip.mp4'],
    });
    expect(Object.isFrozen(credentials)).toBe(true);
  });

  it('uses per-purpose durations from config, and the grant window for transcode', async () => {
    const { sts, broker, clock } = setup({ durations: { link: 1800 } });
    await broker.getCredentials(isolated, link);
    const grantExpiresAt = new Date(clock.now().getTime() + 20 * 60_000);
    const transcode: CredentialScope = {
      purpose: 'transcode',
      mediaId: 'm1',
      sourceKey: sourceKey('isola', 'm1', 'a.mp4'),
      grantExpiresAt,
    };
    const credentials = await broker.getCredentials(isolated, transcode);
    expect(sts.calls.map((call) => call.durationSeconds)).toEqual([1800, 1200]);
    expect(credentials.expiresAt).toEqual(grantExpiresAt);
    expect(credentials.policyKeys).toEqual(['isola/media/m1/source/a.mp4', 'isola/media/m1/renditions/*']);
  });

  it('leaves the endpoint to the SDK for AWS targets, or asks the configured resolver', async () => {
    const aws = { ...isolated, provider: 'aws' as const, endpoint: undefined };
    const first = setup();
    await first.broker.getCredentials(aws, link);
    expect(first.sts.calls[0]).not.toHaveProperty('endpoint');

    const proxied = setup({ stsEndpoint: () => 'http://127.0.0.1:9999' });
    await proxied.broker.getCredentials(isolated, link);
    expect(proxied.sts.calls[0]?.endpoint).toBe('http://127.0.0.1:9999');
  });

  it('reports each issued credential with the keys it covers, never the secret', async () => {
    const { broker, events } = setup();
    await broker.getCredentials(isolated, link, { correlationId: 'req-1' });
    await broker.getCredentials(isolated, link);
    expect(events.issued).toHaveLength(1);
    expect(events.issued[0]).toMatchObject({
      target: isolated,
      scope: link,
      policyKeys: ['isola/media/*'],
      context: { correlationId: 'req-1' },
    });
    expect(JSON.stringify(events.issued)).not.toMatch(/secret-|token-/);
  });
});

describe('StsCredentialBroker: cache', () => {
  it('reuses a credential per target config and scope', async () => {
    const { sts, broker } = setup();
    const first = await broker.getCredentials(isolated, link);
    expect(await broker.getCredentials({ ...isolated }, link)).toBe(first);
    await broker.getCredentials(isolated, upload('m1'));
    expect(await broker.getCredentials(isolated, upload('m1'))).not.toBe(first);
    await broker.getCredentials(isolated, upload('m2'));
    await broker.getCredentials({ ...isolated, externalId: 'ext-aurora-2' }, link); // regenerated ExternalId
    await broker.getCredentials(hosted, link);
    expect(sts.calls).toHaveLength(5);
  });

  it('refreshes link credentials when less than link lifetime + 1 min remains', async () => {
    const { sts, broker, clock } = setup({ linkLifetimeSeconds: 900 }); // link credentials live 1 h
    const first = await broker.getCredentials(isolated, link);
    clock.advance((3600 - 960) * 1000); // exactly 16 min left
    expect(await broker.getCredentials(isolated, link)).toBe(first);
    clock.advance(1);
    const second = await broker.getCredentials(isolated, link);
    expect(second).not.toBe(first);
    expect(sts.calls).toHaveLength(2);
  });

  it('refreshes other purposes when less than 5 min (configurable) remains', async () => {
    const { sts, broker, clock } = setup();
    const first = await broker.getCredentials(isolated, upload());
    clock.advance(600_000); // 5 min left
    expect(await broker.getCredentials(isolated, upload())).toBe(first);
    clock.advance(1);
    expect(await broker.getCredentials(isolated, upload())).not.toBe(first);

    const strict = setup({ minRemainingSeconds: 800 });
    const credentials = await strict.broker.getCredentials(isolated, upload());
    strict.clock.advance(101_000);
    expect(await strict.broker.getCredentials(isolated, upload())).not.toBe(credentials);
    expect(sts.calls).toHaveLength(2);
  });

  it('never serves the connection test from the cache', async () => {
    const { sts, broker } = setup();
    await broker.getCredentials(isolated, { purpose: 'verify' }, { correlationId: 'run-1' });
    await broker.getCredentials(isolated, { purpose: 'verify' }, { correlationId: 'run-2' });
    expect(sts.calls.map((call) => call.sessionName)).toEqual([
      expect.stringMatching(/^isola-verify-.*-run-1$/),
      expect.stringMatching(/^isola-verify-.*-run-2$/),
    ]);
  });

  it('shares one in-flight AssumeRole between concurrent requests (50 → 1)', async () => {
    const { sts, broker } = setup();
    const release = sts.hold();
    const requests = Array.from({ length: 50 }, () => broker.getCredentials(isolated, link));
    await Promise.resolve();
    release();
    const results = await Promise.all(requests);
    expect(sts.calls).toHaveLength(1);
    expect(new Set(results).size).toBe(1);
  });

  it('shares a failure too, and tries again afterwards', async () => {
    const { sts, broker } = setup();
    sts.failNext(stsError(400));
    const release = sts.hold();
    const requests = Array.from({ length: 50 }, () => codeOf(broker.getCredentials(isolated, link)));
    release();
    expect(new Set(await Promise.all(requests))).toEqual(new Set(['STORAGE_MISCONFIGURED']));
    expect(sts.calls).toHaveLength(1);
    await broker.getCredentials(isolated, link);
    expect(sts.calls).toHaveLength(2);
  });

  it('serves a still-valid cached credential while a refresh fails transiently', async () => {
    const { sts, broker, clock } = setup({ retry: { maxRetries: 0 } });
    const first = await broker.getCredentials(isolated, link);
    clock.advance(50 * 60_000); // 10 min left: due for refresh, still usable
    sts.failNext(stsError(503));
    expect(await broker.getCredentials(isolated, link)).toBe(first);
    clock.advance(9.5 * 60_000); // 30 s left: not usable any more
    sts.failNext(stsError(503));
    expect(await codeOf(broker.getCredentials(isolated, link))).toBe('STORAGE_THROTTLED');
  });

  it('evicts the oldest entries beyond its size', async () => {
    const { sts, broker } = setup({ maxCacheEntries: 2 });
    const a = await broker.getCredentials(isolated, upload('a'));
    await broker.getCredentials(isolated, upload('b'));
    await broker.getCredentials(isolated, upload('c'));
    expect(await broker.getCredentials(isolated, upload('a'))).not.toBe(a);
    expect(sts.calls).toHaveLength(4);
  });
});

describe('StsCredentialBroker: retries', () => {
  it('retries throttling and 5xx with backoff, then succeeds', async () => {
    const { sts, broker, sleeps } = setup();
    sts.failNext(stsError(429), stsError(500), stsError(400, 'Throttling'));
    await broker.getCredentials(isolated, link);
    expect(sts.calls).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]); // full jitter at 0.5 of 200·2^n
  });

  it('gives up after maxRetries', async () => {
    const { sts, broker } = setup({ retry: { maxRetries: 2, jitter: () => 0 } });
    sts.denyAll(stsError(503));
    expect(await codeOf(broker.getCredentials(isolated, link))).toBe('STORAGE_THROTTLED');
    expect(sts.calls).toHaveLength(3);
  });

  it.each([
    [403, 'Unknown', 'STORAGE_ACCESS_REVOKED'],
    [404, 'NotFound', 'STORAGE_ACCESS_REVOKED'],
    [400, 'Unknown', 'STORAGE_MISCONFIGURED'],
    [400, 'MalformedPolicyDocument', 'STORAGE_MISCONFIGURED'],
  ])('never retries HTTP %i (%s) → %s', async (status, name, code) => {
    const { sts, broker, sleeps } = setup();
    sts.failNext(stsError(status, name));
    expect(await codeOf(broker.getCredentials(isolated, link))).toBe(code);
    expect(sts.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});

describe('StsCredentialBroker: revocation', () => {
  it('drops the target’s credentials, reports once, and calls STS at most once per backoff step', async () => {
    const { sts, broker, clock, events } = setup();
    const cachedLink = await broker.getCredentials(isolated, link);
    const otherTarget = await broker.getCredentials(hosted, link);
    sts.denyAll(); // the studio deleted the role

    expect(await codeOf(broker.getCredentials(isolated, upload('new')))).toBe('STORAGE_ACCESS_REVOKED');
    expect(sts.calls).toHaveLength(3);
    expect(events.revocations).toHaveLength(1);
    expect(events.revocations[0]).toMatchObject({ target: isolated, error: { code: 'STORAGE_ACCESS_REVOKED' } });

    // the cached link credential is gone: no STS call, no old credential
    expect(await codeOf(broker.getCredentials(isolated, link))).toBe('STORAGE_ACCESS_REVOKED');
    const burst = await Promise.all(Array.from({ length: 100 }, (_, i) => codeOf(broker.getCredentials(isolated, upload(`m${i}`)))));
    expect(new Set(burst)).toEqual(new Set(['STORAGE_ACCESS_REVOKED']));
    expect(sts.calls).toHaveLength(3);

    // step 0 over (1 s): exactly one re-check, however many requests arrive together
    clock.advance(1_000);
    const step1 = await Promise.all(Array.from({ length: 100 }, (_, i) => codeOf(broker.getCredentials(isolated, upload(`m${i % 7}`)))));
    expect(new Set(step1)).toEqual(new Set(['STORAGE_ACCESS_REVOKED']));
    expect(sts.calls).toHaveLength(4);

    // step 1 waits 2 s: nothing after 1 s, one call after 2 s
    clock.advance(1_000);
    await codeOf(broker.getCredentials(isolated, link));
    expect(sts.calls).toHaveLength(4);
    clock.advance(1_000);
    await Promise.all([codeOf(broker.getCredentials(isolated, link)), codeOf(broker.getCredentials(isolated, link))]);
    expect(sts.calls).toHaveLength(5);

    // steps then wait 4 s (capped)
    for (let step = 0; step < 3; step += 1) {
      clock.advance(3_999);
      await codeOf(broker.getCredentials(isolated, link));
      expect(sts.calls).toHaveLength(5 + step);
      clock.advance(1);
      await codeOf(broker.getCredentials(isolated, link));
      expect(sts.calls).toHaveLength(6 + step);
    }
    expect(events.revocations).toHaveLength(1);

    // other targets are unaffected
    expect(await broker.getCredentials(hosted, link)).toBe(otherTarget);

    // the studio restores the role: the next re-check succeeds and ends the backoff
    sts.allowAll();
    clock.advance(4_000);
    const fresh = await broker.getCredentials(isolated, link);
    expect(fresh.accessKeyId).not.toBe(cachedLink.accessKeyId);
    expect(events.restored).toHaveLength(1);
    await broker.getCredentials(isolated, upload('again'));
    expect(await broker.getCredentials(isolated, link)).toBe(fresh);
  });

  it('does not report hosted targets as revoked by a studio, but backs off all the same', async () => {
    const { sts, broker, events } = setup();
    sts.denyAll(stsError(403));
    expect(await codeOf(broker.getCredentials(hosted, link))).toBe('STORAGE_ACCESS_REVOKED');
    expect(await codeOf(broker.getCredentials(hosted, upload()))).toBe('STORAGE_ACCESS_REVOKED');
    expect(sts.calls).toHaveLength(1);
    expect(events.revocations).toHaveLength(0);
  });

  it('keeps the step when a re-check proves nothing (STS down)', async () => {
    const { sts, broker, clock } = setup({ retry: { maxRetries: 0 } });
    sts.failNext(stsError(403));
    await codeOf(broker.getCredentials(isolated, link));
    clock.advance(1_000);
    sts.failNext(stsError(503));
    expect(await codeOf(broker.getCredentials(isolated, link))).toBe('STORAGE_THROTTLED');
    clock.advance(999);
    expect(await codeOf(broker.getCredentials(isolated, link))).toBe('STORAGE_ACCESS_REVOKED');
    clock.advance(1);
    expect(await codeOf(broker.getCredentials(isolated, link))).toBe('ok');
    expect(sts.calls).toHaveLength(3);
  });

  it('does not cache a credential whose AssumeRole started before the revocation was recorded', async () => {
    const { sts, broker, events } = setup();
    const releaseEarly = sts.hold();
    const early = broker.getCredentials(isolated, link); // will succeed, late
    const releaseDenied = sts.hold();
    sts.failNext(stsError(404, 'NotFound'));
    const denied = codeOf(broker.getCredentials(isolated, upload()));
    releaseDenied();
    expect(await denied).toBe('STORAGE_ACCESS_REVOKED');
    releaseEarly();
    expect((await early).accessKeyId).toBe('ASIAFAKE1'); // its caller gets it…
    expect(events.restored).toHaveLength(0); // …but it ends no backoff…
    expect(await codeOf(broker.getCredentials(isolated, link))).toBe('STORAGE_ACCESS_REVOKED'); // …and is not cached
    expect(sts.calls).toHaveLength(2);
  });

  it('forgets cached credentials and the backoff on invalidate', async () => {
    const { sts, broker } = setup();
    const first = await broker.getCredentials(isolated, link);
    broker.invalidate('target-aurora');
    expect(await broker.getCredentials(isolated, link)).not.toBe(first);

    sts.failNext(stsError(403));
    await codeOf(broker.getCredentials(isolated, upload()));
    broker.invalidate('target-aurora');
    expect(await codeOf(broker.getCredentials(isolated, upload()))).toBe('ok');
    expect(sts.calls).toHaveLength(4);
  });
});

describe('StsCredentialBroker: confirmDenial', () => {
  it('an assumable role means the 403 was out of scope: PERMISSION_DENIED, no revocation', async () => {
    const { sts, broker, events } = setup();
    const cached = await broker.getCredentials(isolated, link);
    const verdict = await broker.confirmDenial(isolated, link);
    expect(verdict).toBeInstanceOf(StorageError);
    expect(verdict.code).toBe('PERMISSION_DENIED');
    expect(sts.calls).toHaveLength(2); // a fresh AssumeRole, bypassing the cache
    expect(events.revocations).toHaveLength(0);
    expect(events.issued).toHaveLength(1); // the confirmation credential is not handed out
    expect(await broker.getCredentials(isolated, link)).toBe(cached);
  });

  it('a denied AssumeRole confirms the revocation', async () => {
    const { sts, broker, events } = setup();
    await broker.getCredentials(isolated, link);
    sts.denyAll();
    const verdict = await broker.confirmDenial(isolated, link, { correlationId: 'req-9' });
    expect(verdict.code).toBe('STORAGE_ACCESS_REVOKED');
    expect(events.revocations).toHaveLength(1);
    expect(events.revocations[0]?.context).toEqual({ correlationId: 'req-9' });
    expect(await codeOf(broker.getCredentials(isolated, link))).toBe('STORAGE_ACCESS_REVOKED');
    expect(sts.calls).toHaveLength(2);

    // already known: answered without STS
    expect((await broker.confirmDenial(isolated, link)).code).toBe('STORAGE_ACCESS_REVOKED');
    expect(sts.calls).toHaveLength(2);
    expect(events.revocations).toHaveLength(1);
  });

  it('confirms nothing when STS itself fails', async () => {
    const { sts, broker, events } = setup({ retry: { maxRetries: 1 } });
    sts.denyAll(stsError(500));
    expect((await broker.confirmDenial(isolated, link)).code).toBe('STORAGE_UNAVAILABLE');
    expect(sts.calls).toHaveLength(2);
    expect(events.revocations).toHaveLength(0);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';

import { LocalStackAdmin, createTestStudio, loadLocalEnv, type LocalStackEnv, type TestStudio } from '@isola/local-stack';
import { ManualClock, SystemClock } from '@isola/runtime';
import {
  S3ObjectStoreFactory,
  StorageError,
  mediaPrefix,
  probeKey,
  renditionKey,
  sourceKey,
  type ObjectStore,
  type StorageTargetRef,
} from '@isola/tenant-storage';

import { AwsStsGateway } from '../../src/aws-sts-gateway.adapter.js';
import { CREDENTIAL_PURPOSES, type CredentialScope } from '../../src/credential-scope.js';
import { LinkSigner } from '../../src/link-signer.js';
import { StsCredentialBroker } from '../../src/sts-credential-broker.js';
import { RecordingCredentialEvents } from '../../src/testing/recording-credential-events.js';
import { localTarget, putObjects, readAs, writeAs } from '../integration/local-targets.js';

/**
 * Issue 8, security: every purpose's session policy, proven by the local Ceph RGW refusing what lies
 * outside it (403 from S3 itself — the object store's own client-side key checks are not what is
 * tested: every key below is inside the target's prefix). test/integration/scoped-credentials covers
 * the upload, transcode and link scopes for reads and writes and hosted tenants' prefixes; this adds
 * migrate (both sides), delete and verify, deletes for every purpose, and presigned links: one link
 * cannot fetch another object (tampered key → 403), and an expired link is refused.
 */

let env: LocalStackEnv;
let admin: LocalStackAdmin;
let studio: TestStudio;
let gateway: AwsStsGateway;
let broker: StsCredentialBroker;
let stores: S3ObjectStoreFactory;
let target: StorageTargetRef;

const PREFIX = 'isola';
const A = 'media-a';
const B = 'media-b';
const U = 'media-u';
const srcA = sourceKey(PREFIX, A, 'a.mp4');
const srcB = sourceKey(PREFIX, B, 'b.mp4');
const srcU = sourceKey(PREFIX, U, 'upload.mp4');
const rendA = renditionKey(PREFIX, A, '720p.mp4');
const rendB = renditionKey(PREFIX, B, '720p.mp4');
const probe = probeKey(PREFIX, 'probe.txt');
/** Inside the target's prefix but outside its media and probe folders. */
const outside = `${PREFIX}/exports/readme.txt`;

beforeAll(async () => {
  env = loadLocalEnv();
  admin = new LocalStackAdmin(env);
  await admin.waitUntilReady(10_000);
  studio = await createTestStudio(admin, { label: 'scope-sec' });
  target = localTarget(env, studio, 'isolated', PREFIX);
  gateway = new AwsStsGateway({ principal: env.api });
  broker = new StsCredentialBroker(gateway, new SystemClock(), new RecordingCredentialEvents());
  stores = new S3ObjectStoreFactory();
  await putObjects(env, stores, studio, {
    [srcA]: 'source A',
    [srcB]: 'source B',
    [rendA]: 'rendition A',
    [rendB]: 'rendition B',
    [probe]: 'probe',
    [outside]: 'not media',
  });
});

afterAll(async () => {
  stores?.destroy();
  gateway?.destroy();
  await studio?.destroy();
  admin?.destroy();
});

async function storeFor(scope: CredentialScope): Promise<ObjectStore> {
  return stores.forCredentials(target, await broker.getCredentials(target, scope, { tenantSlug: 'scope-sec' }));
}

/** What S3 says to a delete made through `store`: `ok` or the domain error code. */
async function deleteAs(store: ObjectStore, key: string): Promise<string> {
  try {
    await store.deleteObject(key);
    return 'ok';
  } catch (error) {
    if (error instanceof StorageError) return error.code;
    throw error;
  }
}

type Op = ['read' | 'write' | 'delete', string];
const DENIED = 'PERMISSION_DENIED';

async function attempt(store: ObjectStore, [action, key]: Op): Promise<string> {
  if (action === 'read') return readAs(store, key);
  if (action === 'write') return writeAs(store, key);
  return deleteAs(store, key);
}

/**
 * Per purpose (and migrate side): what the credential may do (S3 answers with the data / ok) and a
 * spread of what it may not — other media, other actions, other folders — each refused by S3.
 */
const SCOPES: Array<{ name: string; scope: () => CredentialScope; allowed: Array<[Op, string]>; refused: Op[] }> = [
  {
    name: 'upload',
    scope: () => ({ purpose: 'upload', mediaId: U, sourceKey: srcU }),
    allowed: [[['write', srcU], 'ok']],
    refused: [
      ['delete', srcU],
      ['read', srcU],
      ['write', sourceKey(PREFIX, U, 'other-name.mp4')],
      ['write', renditionKey(PREFIX, U, '720p.mp4')],
      ['write', srcA],
      ['write', probe],
      ['write', outside],
    ],
  },
  {
    name: 'transcode',
    scope: () => ({ purpose: 'transcode', mediaId: B, sourceKey: srcB, grantExpiresAt: new Date(Date.now() + 30 * 60_000) }),
    allowed: [
      [['read', srcB], 'source B'],
      [['write', renditionKey(PREFIX, B, '480p.mp4')], 'ok'],
    ],
    refused: [
      ['delete', srcB],
      ['delete', rendB],
      ['write', srcB],
      ['read', srcA],
      ['write', rendA],
      ['read', outside],
    ],
  },
  {
    name: 'link',
    scope: () => ({ purpose: 'link' }),
    allowed: [
      [['read', srcA], 'source A'],
      [['read', rendB], 'rendition B'],
    ],
    refused: [
      ['delete', srcA],
      ['delete', rendB],
      ['write', srcA],
      ['read', outside],
      ['read', probe],
    ],
  },
  {
    name: 'migrate (read side)',
    scope: () => ({ purpose: 'migrate', side: 'read', mediaId: A }),
    allowed: [
      [['read', srcA], 'source A'],
      [['read', rendA], 'rendition A'],
    ],
    refused: [
      ['read', srcB],
      ['read', rendB],
      ['read', outside],
      ['write', srcA],
      ['write', `${mediaPrefix(PREFIX, A)}copy.mp4`],
      ['delete', srcA],
    ],
  },
  {
    name: 'migrate (write side)',
    scope: () => ({ purpose: 'migrate', side: 'write', mediaId: A }),
    allowed: [
      [['write', `${mediaPrefix(PREFIX, A)}source/migrated.mp4`], 'ok'],
      [['write', renditionKey(PREFIX, A, 'migrated.mp4')], 'ok'],
    ],
    refused: [
      ['read', srcA],
      ['write', srcB],
      ['write', renditionKey(PREFIX, B, 'x.mp4')],
      ['write', outside],
      ['delete', srcA],
    ],
  },
  {
    name: 'delete',
    scope: () => ({ purpose: 'delete', mediaId: B }),
    allowed: [[['delete', renditionKey(PREFIX, B, 'disposable.mp4')], 'ok']],
    refused: [
      ['delete', srcA],
      ['delete', rendA],
      ['delete', outside],
      ['delete', probe],
      ['read', srcB],
      ['write', srcB],
    ],
  },
  {
    name: 'verify',
    scope: () => ({ purpose: 'verify' }),
    allowed: [
      [['write', probeKey(PREFIX, 'run-1.txt')], 'ok'],
      [['read', probe], 'probe'],
      [['delete', probeKey(PREFIX, 'run-1.txt')], 'ok'],
    ],
    refused: [
      ['read', srcA],
      ['write', srcA],
      ['delete', srcA],
      ['read', outside],
      ['write', outside],
    ],
  },
];

describe('session policies: S3 refuses everything outside each purpose’s scope', () => {
  it('has a row for every credential purpose (and both migrate sides)', () => {
    const purposes = new Set(SCOPES.map((s) => s.scope().purpose));
    expect([...purposes].sort()).toEqual([...CREDENTIAL_PURPOSES].sort());
    expect(SCOPES.filter((s) => s.scope().purpose === 'migrate')).toHaveLength(2);
  });

  it.each(SCOPES.map((s) => [s.name, s] as const))('%s: allowed operations succeed, the rest are 403 from S3', async (_name, row) => {
    const store = await storeFor(row.scope());
    for (const [op, expected] of row.allowed) expect({ op, result: await attempt(store, op) }).toEqual({ op, result: expected });
    const refusals = [];
    for (const op of row.refused) refusals.push({ op, result: await attempt(store, op) });
    expect(refusals).toEqual(row.refused.map((op) => ({ op, result: DENIED })));
    // the objects other purposes rely on are intact
    expect(await readAs(stores.forCredentials(target, await broker.getCredentials(target, { purpose: 'link' })), srcA)).toBe('source A');
  });
});

describe('presigned links', () => {
  async function linkSigner(clock = new SystemClock()) {
    return new LinkSigner(broker, stores, clock, { linkLifetimeSeconds: 900 });
  }

  it('a link names one object: changing the key (or anything signed) in the URL gets 403', async () => {
    const link = await (await linkSigner()).signLink(target, { key: srcA, filename: 'a.mp4' });
    const ok = await fetch(link.url);
    expect(await ok.text()).toBe('source A');

    const url = new URL(link.url);
    const tampered: Array<[string, URL]> = [];
    const otherKey = new URL(url);
    otherKey.pathname = url.pathname.replace(encodeURIComponent('a.mp4'), encodeURIComponent('b.mp4')).replace(`/${A}/`, `/${B}/`);
    tampered.push(['another media’s source', otherKey]);
    const rendition = new URL(url);
    rendition.pathname = url.pathname.replace('/source/a.mp4', '/renditions/720p.mp4');
    tampered.push(['the same media’s rendition', rendition]);
    const disposition = new URL(url);
    disposition.searchParams.set('response-content-disposition', 'inline');
    tampered.push(['another response disposition', disposition]);
    const longer = new URL(url);
    longer.searchParams.set('X-Amz-Expires', '604800');
    tampered.push(['a longer lifetime', longer]);
    expect(otherKey.pathname).toContain(`/${B}/source/b.mp4`);

    const answers = [];
    for (const [what, u] of tampered) {
      const res = await fetch(u);
      answers.push({
        what,
        status: res.status,
        body: (await res.text()).includes('SignatureDoesNotMatch') ? 'SignatureDoesNotMatch' : 'other',
      });
    }
    expect(answers).toEqual(tampered.map(([what]) => ({ what, status: 403, body: 'SignatureDoesNotMatch' })));

    // a URL signed for the method GET does not write
    const put = await fetch(link.url, { method: 'PUT', body: 'overwrite' });
    expect(put.status).toBe(403);
    await put.arrayBuffer();
  });

  it('a link to a key outside the media prefix is refused by S3 even when signed with the link credential', async () => {
    const store = await storeFor({ purpose: 'link' });
    for (const key of [outside, probe]) {
      const link = await store.presignGet({ key });
      const res = await fetch(link.url);
      expect({ key, status: res.status }).toEqual({ key, status: 403 });
      await res.arrayBuffer();
    }
  });

  it('an expired link is refused: a 1-second link after 2 s, and a link signed 10 minutes ago for 60 s', async () => {
    const store = await storeFor({ purpose: 'link' });
    const short = await store.presignGet({ key: srcA, expiresInSeconds: 1 });
    const fresh = await fetch(short.url);
    expect(fresh.status).toBe(200);
    await fresh.arrayBuffer();

    // signed in the past (the clock is a port): expired on arrival, no waiting
    const pastClock = new ManualClock(new Date(Date.now() - 10 * 60_000));
    const pastStores = new S3ObjectStoreFactory({ clock: pastClock });
    try {
      const credentials = await broker.getCredentials(target, { purpose: 'link' });
      const old = await pastStores.forCredentials(target, credentials).presignGet({ key: srcA, expiresInSeconds: 60 });
      expect(old.expiresAt.getTime()).toBeLessThan(Date.now());
      const res = await fetch(old.url);
      expect({ status: res.status, code: /<Code>(\w+)<\/Code>/.exec(await res.text())?.[1] }).toEqual({
        status: 403,
        code: 'AccessDenied',
      });
    } finally {
      pastStores.destroy();
    }

    await sleep(Math.max(0, short.expiresAt.getTime() - Date.now()) + 1_100);
    const late = await fetch(short.url);
    expect({ status: late.status, code: /<Code>(\w+)<\/Code>/.exec(await late.text())?.[1] }).toEqual({
      status: 403,
      code: 'AccessDenied',
    });
  }, 20_000);
});

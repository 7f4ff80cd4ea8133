import { createHash } from 'node:crypto';
import type { StoredObject } from '@isola/tenant-storage';
import { ManualClock } from '@isola/runtime';
import { StorageError, StorageErrorCode } from '@isola/tenant-storage';
import { loadWorkerConfig } from '../config/env.schema.js';
import { InMemoryObjectStore } from '../transcoding/testing/in-memory-object-store.js';
import type { MigrationRepository, MigrationRow, SwitchInput } from './migration.repository.js';
import { MigrationService } from './migration.service.js';
import type { MigrationStores } from './migration-stores.service.js';
import { unchangedSince, type MediaSnapshot, type MediaStatus } from './plan-migration.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const FROM = { id: 'from', prefix: 'old' };
const TO = { id: 'to', prefix: 'new' };

interface Item {
  id: string;
  mediaId: string;
  status: 'pending' | 'verified' | 'switched' | 'failed' | 'skipped';
  attempts: number;
  lastError: string | null;
}

/** The repository's contract in memory: enough to drive the state machine. */
class FakeRepository {
  migration = {
    id: 'mig',
    tenantId: 't',
    status: 'pending',
    fromTargetId: FROM.id,
    toTargetId: TO.id,
    deleteSources: false,
    sourcesDeletedAt: null,
    deleteSourcesAfter: null as Date | null,
    fromTarget: target(FROM),
    toTarget: target(TO),
    tenant: { slug: 'studio', deleteObjectsEnabled: false },
  };
  media = new Map<string, MediaSnapshot>();
  items = new Map<string, Item>();
  enqueued: Date[] = [];
  notices: string[] = [];
  retired = 0;

  load = async () => ({ ...this.migration }) as unknown as MigrationRow;
  start = async () => {
    if (this.migration.status === 'pending') this.migration.status = 'running';
  };
  plan = async () => {
    for (const m of this.media.values()) {
      if (m.storageTargetId === FROM.id && m.status !== 'deleted' && !this.items.has(m.id)) {
        this.items.set(m.id, { id: `item-${m.id}`, mediaId: m.id, status: 'pending', attempts: 0, lastError: null });
      }
    }
  };
  skipGone = async () => {
    for (const item of this.active()) {
      const m = this.media.get(item.mediaId);
      if (!m || m.status === 'deleted' || m.storageTargetId !== FROM.id) item.status = 'skipped';
    }
    return 0;
  };
  /** Switched items as each counters refresh saw them (the record the studio sees). */
  refreshes: number[] = [];
  refreshCounters = async () => {
    await Promise.resolve();
    this.refreshes.push([...this.items.values()].filter((i) => i.status === 'switched').length);
  };
  counts = async () => ({
    movable: this.active().filter((i) => ['ready', 'failed'].includes(this.media.get(i.mediaId)!.status)).length,
    inFlight: this.active().filter((i) => ['uploading', 'uploaded', 'transcoding'].includes(this.media.get(i.mediaId)!.status)).length,
    failed: [...this.items.values()].filter((i) => i.status === 'failed').length,
  });
  movableItems = async () =>
    this.active()
      .filter((i) => ['ready', 'failed'].includes(this.media.get(i.mediaId)!.status))
      .map((i) => ({ itemId: i.id, mediaId: i.mediaId, attempts: i.attempts }));
  mediaOf = async (id: string) => {
    const m = this.media.get(id);
    return m === undefined ? null : structuredClone(m);
  };
  switchItem = async (input: SwitchInput) => {
    const current = this.media.get(input.copied.id)!;
    if (!unchangedSince(input.copied, current)) {
      this.item(input.itemId).status = 'pending';
      return 'changed' as const;
    }
    current.storageTargetId = input.toTargetId;
    current.objectKey = input.sourceKey;
    if (input.sourceSha256 !== null) current.sha256Verified = input.sourceSha256;
    for (const r of current.renditions) Object.assign(r, { storageTargetId: input.toTargetId, objectKey: input.renditionKeys.get(r.id) });
    this.item(input.itemId).status = 'switched';
    return 'switched' as const;
  };
  recordFailure = async (itemId: string, message: string, max: number) => {
    const item = this.item(itemId);
    item.attempts += 1;
    item.lastError = message;
    item.status = item.attempts >= max ? 'failed' : 'pending';
    return item.status as 'pending' | 'failed';
  };
  finish = async (_m: MigrationRow, plan: { status: string; deleteSourcesAfter: Date | null }, _now: Date, message: string) => {
    this.migration.status = plan.status;
    this.migration.deleteSourcesAfter = plan.deleteSourcesAfter;
    this.notices.push(`${plan.status}: ${message}`);
    return true;
  };
  enqueue = async (_id: string, at: Date) => {
    this.enqueued.push(at);
  };
  retireIfUnused = async () => {
    this.retired += 1;
    return true;
  };

  private active(): Item[] {
    return [...this.items.values()].filter((i) => i.status === 'pending' || i.status === 'verified');
  }
  private item(id: string): Item {
    return [...this.items.values()].find((i) => i.id === id)!;
  }
}

function target(t: { id: string; prefix: string }) {
  return {
    ...t,
    tenantId: 't',
    mode: 'hosted',
    provider: 's3_compatible',
    endpoint: null,
    region: 'us-east-1',
    bucket: `b-${t.id}`,
    roleArn: 'arn:aws:iam:::role/r',
    externalId: 'x',
    status: 'verified',
  };
}

function setup(env: Record<string, string> = {}) {
  const repo = new FakeRepository();
  const stores = { [FROM.id]: new InMemoryObjectStore(), [TO.id]: new InMemoryObjectStore() };
  /** Every store asked for, as `<side> <target> <media>`: each is one (cached) credential in production. */
  const requests: string[] = [];
  const requested = new Map<string, () => void>();
  /** Resolves once that store is asked for (e.g. `read from b`). */
  const whenRequested = (request: string) => new Promise<void>((resolve) => requested.set(request, resolve));
  const side = (kind: string) => (t: { id: string }, mediaId: string) => async () => {
    const request = `${kind} ${t.id} ${mediaId}`;
    requests.push(request);
    requested.get(request)?.();
    return stores[t.id]!;
  };
  const fakeStores = { read: side('read'), write: side('write'), delete: side('delete') } as unknown as MigrationStores;
  const clock = new ManualClock(new Date('2026-12-01T10:00:00Z'));
  const config = loadWorkerConfig({ NODE_ENV: 'test', MIGRATION_WAIT_MS: '100', MIGRATION_ITEM_ATTEMPTS: '2', ...env });
  const repository = { ...repo, media: repo.mediaOf } as unknown as MigrationRepository;
  // the fake's methods are arrow functions bound to `repo`: spreading keeps them working on its state
  const service = new MigrationService(repository, fakeStores, clock, config);
  const addMedia = (id: string, status: MediaStatus, source = `source of ${id}`, sha256Verified: string | null = sha(source)) => {
    const key = `old/media/${id}/source/clip.mp4`;
    stores[FROM.id]!.put(key, source);
    stores[FROM.id]!.put(`old/media/${id}/renditions/poster.jpg`, `poster of ${id}`);
    repo.media.set(id, {
      id,
      status,
      storageTargetId: FROM.id,
      objectKey: key,
      sizeBytes: BigInt(Buffer.byteLength(source)),
      contentType: 'video/mp4',
      sha256Verified,
      renditions: [
        {
          id: `${id}-poster`,
          kind: 'poster',
          storageTargetId: FROM.id,
          objectKey: `old/media/${id}/renditions/poster.jpg`,
          sizeBytes: BigInt(Buffer.byteLength(`poster of ${id}`)),
          sha256: sha(`poster of ${id}`),
          contentType: 'image/jpeg',
        },
      ],
    });
  };
  return { repo, repository, stores, requests, whenRequested, service, clock, addMedia };
}

describe('MigrationService (state machine with in-memory fakes)', () => {
  it('copies every movable media, verifies it, switches its pointers and completes with a notice', async () => {
    const { repo, stores, service, addMedia } = setup();
    addMedia('a', 'ready');
    addMedia('b', 'failed', 'bytes of a failed media', null); // never hashed: hashed while copying, recorded

    expect(await service.run('mig')).toEqual({ status: 'completed', failedItems: 0, deleteSourcesAfter: null });
    expect([...stores[TO.id]!.objects.keys()].sort()).toEqual([
      'new/media/a/renditions/poster.jpg',
      'new/media/a/source/clip.mp4',
      'new/media/b/renditions/poster.jpg',
      'new/media/b/source/clip.mp4',
    ]);
    expect(repo.media.get('a')).toMatchObject({ storageTargetId: TO.id, objectKey: 'new/media/a/source/clip.mp4' });
    expect(repo.media.get('a')!.renditions[0]).toMatchObject({ storageTargetId: TO.id, objectKey: 'new/media/a/renditions/poster.jpg' });
    expect(repo.media.get('b')!.sha256Verified).toBe(sha('bytes of a failed media'));
    expect(repo.notices).toEqual([expect.stringMatching(/^completed: Every media now lives in b-to/)]);
    expect(repo.retired).toBe(1); // nothing to delete: the old target is retired if unused
    expect(repo.refreshes.at(-1)).toBe(2); // the counters were refreshed after the last switch, before finishing
  });

  it('waits for media still uploading (no busy loop: it comes back through the outbox), then moves them', async () => {
    const { repo, service, clock, addMedia } = setup();
    addMedia('a', 'ready');
    addMedia('late', 'transcoding');

    const first = await service.run('mig');
    expect(first).toEqual({ status: 'waiting', inFlight: 1, until: new Date(clock.now().getTime() + 100).toISOString() });
    expect(repo.media.get('a')!.storageTargetId).toBe(TO.id); // the movable one did not wait
    expect(repo.media.get('late')!.storageTargetId).toBe(FROM.id);
    expect(repo.enqueued).toHaveLength(1);

    repo.media.get('late')!.status = 'ready';
    addMedia('arrived', 'ready'); // an upload that was in flight at the switch landed on the old target
    expect(await service.run('mig')).toMatchObject({ status: 'completed' });
    expect(repo.media.get('late')!.storageTargetId).toBe(TO.id);
    expect(repo.media.get('arrived')!.storageTargetId).toBe(TO.id);
  });

  it('gives a media up after its attempts (checksum mismatch), moves the rest, and ends failed', async () => {
    const { repo, stores, service, addMedia } = setup({ MIGRATION_ITEM_ATTEMPTS: '2' });
    addMedia('good', 'ready');
    addMedia('bad', 'ready');
    stores[FROM.id]!.put('old/media/bad/source/clip.mp4', 'source of bax'); // same size, other bytes

    expect(await service.run('mig')).toEqual({ status: 'failed', failedItems: 1, deleteSourcesAfter: null });
    expect(repo.items.get('bad')).toMatchObject({ status: 'failed', attempts: 2, lastError: expect.stringMatching(/^CHECKSUM_MISMATCH/) });
    expect(repo.media.get('bad')!.storageTargetId).toBe(FROM.id); // never pointed at unverified copies
    expect(repo.media.get('good')!.storageTargetId).toBe(TO.id);
    expect(repo.notices).toEqual([expect.stringMatching(/^failed: 1 media could not be moved/)]);
  });

  it('retries a transient storage error and succeeds', async () => {
    const { repo, stores, service, addMedia } = setup({ MIGRATION_ITEM_ATTEMPTS: '3' });
    addMedia('a', 'ready');
    stores[TO.id]!.failures.set('PutObject', new StorageError(StorageErrorCode.STORAGE_UNAVAILABLE, 'slow down'));

    expect(await service.run('mig')).toMatchObject({ status: 'completed' });
    expect(repo.items.get('a')).toMatchObject({ status: 'switched', attempts: 1, lastError: expect.stringMatching(/STORAGE_UNAVAILABLE/) });
  });

  it('skips media deleted meanwhile and, with sources to delete, schedules their deletion after the grace period', async () => {
    const { repo, service, clock, addMedia } = setup({ MIGRATION_SOURCE_GRACE_DAYS: '7' });
    repo.migration.deleteSources = true;
    addMedia('kept', 'ready');
    addMedia('gone', 'deleted');

    const outcome = await service.run('mig');
    const due = new Date(clock.now().getTime() + 7 * 86_400_000);
    expect(outcome).toEqual({ status: 'completed', failedItems: 0, deleteSourcesAfter: due.toISOString() });
    expect(repo.items.has('gone')).toBe(false);
    expect(repo.enqueued).toEqual([due]); // the later pass
  });

  it('a run that is aborted records no failure and can be resumed', async () => {
    const { repo, stores, service, addMedia } = setup();
    addMedia('a', 'ready');
    const controller = new AbortController();
    const source = stores[FROM.id]!;
    const getObject = source.getObject.bind(source);
    source.getObject = async (key) => {
      const object = await getObject(key);
      controller.abort(); // shutdown while the object streams
      return object;
    };
    await expect(service.run('mig', { signal: controller.signal })).rejects.toThrow(/aborted/);
    expect(repo.items.get('a')).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
    source.getObject = getObject;
    expect(await service.run('mig')).toMatchObject({ status: 'completed' });
  });
  it("asks for the next media's three credentials before a lane reaches it, so AssumeRole overlaps the copies in flight", async () => {
    const { stores, requests, whenRequested, service, addMedia } = setup({ MIGRATION_CONCURRENCY: '1' });
    addMedia('a', 'ready');
    addMedia('b', 'ready');
    const bAskedFor = whenRequested('read from b');
    const seenAtGet = new Map<string, string[]>();
    const source = stores[FROM.id]!;
    const getObject = source.getObject.bind(source);
    source.getObject = async (key): Promise<StoredObject> => {
      // a's copy goes on only once b's credentials are asked for: a lane that asked for them only
      // when it reached b would never get there
      if (key.startsWith('old/media/a/')) await bAskedFor;
      if (!seenAtGet.has(key)) seenAtGet.set(key, [...requests]);
      return getObject(key);
    };

    expect(await service.run('mig')).toMatchObject({ status: 'completed' });
    // all three of b's (read on the old target, write and check on the new one), while a was still being copied
    expect(seenAtGet.get('old/media/a/source/clip.mp4')).toEqual(expect.arrayContaining(['read from b', 'write to b', 'read to b']));
    // and every credential stays per media: nothing of b's was used for a, or the other way round
    expect(new Set(requests)).toEqual(new Set(['read from a', 'write to a', 'read to a', 'read from b', 'write to b', 'read to b']));
  });

  it("copies the lane's next media while the previous one's pointer switch is still running", async () => {
    const { repo, repository, stores, service, addMedia } = setup({ MIGRATION_CONCURRENCY: '1' });
    addMedia('a', 'ready');
    addMedia('b', 'ready');
    let copyOfBStarted!: () => void;
    const bStarted = new Promise<void>((resolve) => (copyOfBStarted = resolve));
    const source = stores[FROM.id]!;
    const getObject = source.getObject.bind(source);
    source.getObject = async (key) => {
      if (key.startsWith('old/media/b/')) copyOfBStarted();
      return getObject(key);
    };
    const switchItem = repository.switchItem.bind(repository);
    repository.switchItem = async (input: SwitchInput) => {
      if (input.copied.id === 'a') await bStarted; // a lane that waited for this switch would never get there
      return switchItem(input);
    };

    expect(await service.run('mig')).toMatchObject({ status: 'completed' });
    expect(repo.media.get('a')!.storageTargetId).toBe(TO.id);
    expect(repo.media.get('b')!.storageTargetId).toBe(TO.id);
  });

  it('reads a media again before copying it when it was read ahead long before (a slow copy before it)', async () => {
    const { repository, stores, clock, service, addMedia } = setup({ MIGRATION_CONCURRENCY: '1' });
    addMedia('a', 'ready');
    addMedia('b', 'ready');
    const reads: string[] = [];
    let bReadAhead!: () => void;
    const bRead = new Promise<void>((resolve) => (bReadAhead = resolve));
    const media = repository.media.bind(repository);
    repository.media = async (id: string) => {
      reads.push(id);
      if (id === 'b') bReadAhead();
      return media(id);
    };
    const source = stores[FROM.id]!;
    const getObject = source.getObject.bind(source);
    source.getObject = async (key) => {
      if (key === 'old/media/a/source/clip.mp4') {
        await bRead; // b was read ahead while a is copied…
        clock.advance(60_000); // …and a's copy takes a minute
      }
      return getObject(key);
    };

    expect(await service.run('mig')).toMatchObject({ status: 'completed' });
    expect(reads).toEqual(['a', 'b', 'b']);
  });

  it('switches no pointer when the new object does not show the size written (HEAD check), and records the attempt', async () => {
    const { repo, stores, service, addMedia } = setup({ MIGRATION_ITEM_ATTEMPTS: '1' });
    addMedia('a', 'ready');
    addMedia('short', 'ready');
    const target = stores[TO.id]!;
    const headObject = target.headObject.bind(target);
    target.headObject = async (key) => {
      const head = await headObject(key);
      return key === 'new/media/short/source/clip.mp4' ? { ...head, size: head.size - 1 } : head;
    };

    expect(await service.run('mig')).toEqual({ status: 'failed', failedItems: 1, deleteSourcesAfter: null });
    expect(repo.items.get('short')).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/^SIZE_MISMATCH/) });
    expect(repo.media.get('short')).toMatchObject({ storageTargetId: FROM.id, objectKey: 'old/media/short/source/clip.mp4' });
    expect(repo.media.get('a')!.storageTargetId).toBe(TO.id);
  });
});

import type { INestApplicationContext } from '@nestjs/common';
import { GetObjectTaggingCommand } from '@aws-sdk/client-s3';
import Bull, { type Queue } from 'bull';
import { MigrationNoticeKind, QueueName } from '@isola/contracts';
import { CredentialBroker, LinkSigner } from '@isola/credentials';
import { SystemClock } from '@isola/runtime';
import { ObjectStoreFactory, storageTargetRefFrom } from '@isola/tenant-storage';
import { createWorkerApp } from '../../src/app.factory.js';
import { loadWorkerConfig } from '../../src/config/env.schema.js';
import { MigrationService } from '../../src/migration/migration.service.js';
import { bullOptions } from '../../src/queue/redis-options.js';
import { forEach, MigrationWorld, REDIS_URL } from './migration-world.js';
import { waitFor } from './support/studio-harness.js';

const MEDIA = 50;
const GRACE_DAYS = 2 / 86_400; // two seconds

interface RoundStats {
  fetched: number;
  failed: string[];
  onOld: number;
  onNew: number;
}

/**
 * Issue 6 acceptance: 50 media (sources + renditions) migrate hosted → isolated in a real worker
 * (Bull, PostgreSQL, RGW, STS) while a reader keeps asking for links to all of them — signed from
 * each media's CURRENT target, read from the database in one snapshot, as the API's links route
 * does — and FETCHES every URL: not one fetch fails. Then every object on the new target hashes to
 * the recorded SHA-256, the new prefix holds exactly the expected keys, and after the grace period
 * the old copies are deleted and the hosted target retired.
 */
describe('live migration hosted → isolated with links fetched throughout (real worker, RGW, STS)', () => {
  let world: MigrationWorld;
  let app: INestApplicationContext;
  let queue: Queue;

  beforeAll(async () => {
    world = await MigrationWorld.open('migrate');
    await world.seed({ media: MEDIA, bigSources: 2, unhashedSources: 3 });
    app = await createWorkerApp(
      loadWorkerConfig(world.workerEnv({ MIGRATION_CONCURRENCY: '4', MIGRATION_SOURCE_GRACE_DAYS: String(GRACE_DAYS) })),
    );
    await app.init();
    queue = new Bull(QueueName.Storage, bullOptions(REDIS_URL, world.queuePrefix));
  }, 120_000);

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await app?.close();
    await world?.close();
  });

  it('moves every media with zero failed link fetches, every checksum verified, then deletes the old copies after the grace period', async () => {
    const { prisma } = world;
    const signer = new LinkSigner(app.get(CredentialBroker), app.get(ObjectStoreFactory), new SystemClock());

    /** One pass of the reader: links for all media from one consistent read, every URL fetched. */
    const readAll = async (): Promise<RoundStats> => {
      const rows = await prisma.$transaction(
        (tx) => tx.media.findMany({ where: { tenantId: world.tenant.id }, include: { storageTarget: true, renditions: true } }),
        { isolationLevel: 'RepeatableRead' },
      );
      const stats: RoundStats = { fetched: 0, failed: [], onOld: 0, onNew: 0 };
      await forEach(rows, 10, async (media) => {
        if (media.storageTargetId === world.hosted.id) stats.onOld += 1;
        else stats.onNew += 1;
        const keys = [media.objectKey, ...media.renditions.map((r) => r.objectKey)];
        const links = await signer.signLinks(
          storageTargetRefFrom(media.storageTarget),
          keys.map((key) => ({ key })),
        );
        for (const link of links) {
          // a few bytes are enough to prove the object is there and the signature is good
          const response = await fetch(link.url, { headers: { range: 'bytes=0-63' } }).catch((error: Error) => ({
            ok: false,
            status: 0,
            statusText: error.message,
            arrayBuffer: async () => new ArrayBuffer(0),
          }));
          await response.arrayBuffer();
          stats.fetched += 1;
          if (!response.ok) stats.failed.push(`${response.status} ${link.key}`);
        }
      });
      return stats;
    };

    const before = await readAll();
    expect(before).toEqual({ fetched: MEDIA * 3, failed: [], onOld: MEDIA, onNew: 0 });

    const { migrationId, outboxId } = await world.activateIsolated();
    await world.enqueue(queue, migrationId, outboxId);

    const rounds: RoundStats[] = [];
    let finished = false;
    const reader = (async () => {
      while (!finished) {
        rounds.push(await readAll());
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      rounds.push(await readAll()); // one more once it is over
    })();
    const migration = await waitFor(
      'the migration to finish',
      async () => {
        const row = await prisma.migration.findUniqueOrThrow({ where: { id: migrationId } });
        return row.status === 'completed' || row.status === 'failed' ? row : null;
      },
      90_000,
      100,
    ).finally(() => {
      finished = true;
    });
    await reader;

    // the links: every URL of every round worked, and rounds ran while media were split between targets
    expect(rounds.flatMap((r) => r.failed)).toEqual([]);
    expect(rounds.reduce((n, r) => n + r.fetched, 0)).toBe(rounds.length * MEDIA * 3);
    expect(rounds.some((r) => r.onOld > 0 && r.onNew > 0)).toBe(true);
    expect(rounds.at(-1)).toMatchObject({ onOld: 0, onNew: MEDIA });

    // the migration's record
    const objects = world.expected.length;
    const bytes = world.expected.reduce((sum, o) => sum + BigInt(o.size), 0n);
    expect(migration).toMatchObject({
      status: 'completed',
      totalObjects: objects,
      copiedObjects: objects,
      failedObjects: 0,
      totalBytes: bytes,
      copiedBytes: bytes,
      deleteSources: true,
      sourcesDeletedAt: null,
    });
    expect(migration.deleteSourcesAfter!.getTime() - migration.finishedAt!.getTime()).toBe(2000);
    expect(await prisma.migrationItem.groupBy({ by: ['status'], where: { migrationId }, _count: { _all: true } })).toEqual([
      { status: 'switched', _count: { _all: MEDIA } },
    ]);
    const notices = await prisma.notice.findMany({ where: { tenantId: world.tenant.id } });
    expect(notices.map((n) => n.kind)).toEqual([MigrationNoticeKind.Completed]);

    // every pointer moved, to the same relative keys under the new prefix; unhashed sources got their hash
    const media = await prisma.media.findMany({ where: { tenantId: world.tenant.id }, include: { renditions: true } });
    expect(media.every((m) => m.storageTargetId === world.isolated.id && m.objectKey.startsWith(`isola/media/${m.id}/source/`))).toBe(true);
    expect(
      media.flatMap((m) => m.renditions).every((r) => r.storageTargetId === world.isolated.id && r.objectKey.startsWith('isola/')),
    ).toBe(true);
    expect(media.every((m) => m.sha256Verified !== null)).toBe(true);

    // the new bucket: exactly the expected objects (no duplicates, no strays), every one hashing right
    expect(await world.keys(world.studio.bucket, 'isola/')).toEqual(world.expectedKeys());
    expect(await world.checksumMismatches()).toEqual([]);
    // sources keep the tag the sources-to-IA lifecycle rule matches — both big ones (multipart copy,
    // tagged after assembly) and a small one (single PUT) —, renditions carry none
    const tagsOf = async (o: { mediaId: string; relative: string }) =>
      (
        await world.admin.s3.send(
          new GetObjectTaggingCommand({ Bucket: world.studio.bucket, Key: `${world.isolated.prefix}/media/${o.mediaId}/${o.relative}` }),
        )
      ).TagSet ?? [];
    const sources = world.expected.filter((o) => o.relative.startsWith('source/')).sort((a, b) => b.size - a.size);
    const sourceTag = [{ Key: 'isola-object-kind', Value: 'source' }];
    for (const source of [sources[0]!, sources[1]!, sources.at(-1)!]) expect(await tagsOf(source)).toEqual(sourceTag);
    expect(sources[1]!.size).toBeGreaterThan(5 * 1024 * 1024);
    const renditions = world.expected.filter((o) => o.relative.startsWith('renditions/')).slice(0, 2);
    for (const rendition of renditions) expect(await tagsOf(rendition)).toEqual([]);
    // the old copies wait out the grace period
    expect(await world.keys(world.env.hosted.bucket, `${world.hosted.prefix}/`)).toHaveLength(objects);

    // after the grace period: the later pass deletes them and retires the hosted target
    await waitFor('the grace period to end', async () => Date.now() > migration.deleteSourcesAfter!.getTime(), 10_000);
    expect(await app.get(MigrationService).run(migrationId)).toEqual({ status: 'sources-deleted', media: MEDIA, retired: true });
    expect(await world.keys(world.env.hosted.bucket, `${world.hosted.prefix}/`)).toEqual([]);
    expect(await prisma.storageTarget.findUniqueOrThrow({ where: { id: world.hosted.id } })).toMatchObject({ status: 'retired' });
    expect(await prisma.migrationItem.count({ where: { migrationId, sourceDeletedAt: null } })).toBe(0);
    expect((await prisma.migration.findUniqueOrThrow({ where: { id: migrationId } })).sourcesDeletedAt).not.toBeNull();
    // and the media still link and fetch from their new home
    expect((await readAll()).failed).toEqual([]);
  }, 150_000);
});

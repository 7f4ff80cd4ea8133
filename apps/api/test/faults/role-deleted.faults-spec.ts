import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { renditionsPrefix } from '@isola/tenant-storage';
import { numberOption, reportFault } from '@isola/local-stack';
import { FaultWorld } from './support/fault-world.js';

const UPLOADS = numberOption('FAULT_ROLE_UPLOADS', 20);
const DELETED_FOR_MS = numberOption('FAULT_ROLE_DELETED_MS', 2_000);

/**
 * The studio deletes Isola's role in the middle of work (transcodes queued and running, uploads with
 * their part stored but not completed), then grants it again. Revocation is handled as specified
 * (409 STORAGE_ACCESS_REVOKED, never a 5xx; the target `revoked`, then restored by the worker's
 * re-check) and nothing is lost: every upload completes, every media ends ready with one set of
 * renditions. Its own PostgreSQL and Redis (FaultWorld): the re-check loop runs with short windows.
 */
describe('fault: the studio role deleted mid-flight, then re-granted (own PostgreSQL and Redis, real API + worker)', () => {
  let world: FaultWorld;

  beforeAll(async () => {
    world = await FaultWorld.open('role', { REVOCATION_FIRST_RECHECK_MS: '300' });
  }, 180_000);
  afterAll(async () => {
    await world?.close();
  });

  const target = () => world.prisma.storageTarget.findUniqueOrThrow({ where: { id: world.studio.target.id } });

  async function until<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it(`${UPLOADS} uploads, the role deleted mid-flight for ${DELETED_FOR_MS} ms: revoked, restored, nothing lost`, async () => {
    const { studio } = world;
    world.startWorker('worker');
    const half = Math.max(1, Math.floor(UPLOADS / 2));
    const answers: Record<string, number> = {};
    const note = (route: string, res: { status: number; body: { code?: string } }) => {
      const label = `${route} ${res.status} ${res.body.code ?? ''}`.trim();
      answers[label] = (answers[label] ?? 0) + 1;
    };
    try {
      const inFlight = await Promise.all(Array.from({ length: UPLOADS - half }, (_, i) => world.startUpload(`inflight-${i}.jpg`)));
      const completedFirst: string[] = [];
      for (let i = 0; i < half; i += 1) {
        const up = await world.startUpload(`first-${i}.jpg`);
        note('complete', await world.complete(up));
        completedFirst.push(up.mediaId);
      }
      const transcodingWhenDeleted = await world.prisma.media.count({
        where: { id: { in: completedFirst }, status: { in: ['uploaded', 'transcoding'] } },
      });

      // The role goes away mid-flight.
      await studio.admin.deleteRole(studio.studio.roleName);
      const deletedAt = Date.now();
      // What clients see meanwhile: the in-flight uploads' next calls.
      for (const up of inFlight.slice(0, 3)) {
        note('list', await world.uploads.list(up.uploadId, { key: up.key }));
        note('complete', await world.complete(up));
      }
      note('create', await world.uploads.create({ filename: 'during.jpg', type: 'image/jpeg', metadata: { size: world.jpeg.byteLength } }));
      await until('the target to be revoked', async () => (await target()).status === 'revoked', 15_000);
      const wait = DELETED_FOR_MS - (Date.now() - deletedAt);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));

      // Re-grant: the same role again; the worker's re-check restores the target by itself.
      await studio.admin.ensureRole({
        roleName: studio.studio.roleName,
        trustedPrincipalArns: studio.admin.platformPrincipalArns(),
        permissionPolicy: studio.admin.bucketRolePolicy(studio.studio.bucket),
      });
      const regrantedAt = Date.now();
      await until('the target restored by the worker’s re-check', async () => (await target()).status === 'active', 30_000);
      const restoredMs = Date.now() - regrantedAt;

      // The clients carry on: every in-flight upload completes (the 3 that were refused, too).
      const notCompleted: string[] = [];
      for (const up of inFlight) {
        let res = await world.complete(up);
        for (let i = 0; i < 10 && res.status !== 200; i += 1) {
          await new Promise((r) => setTimeout(r, 300));
          res = await world.complete(up);
        }
        note('complete-after', res);
        if (res.status !== 200) notCompleted.push(up.mediaId);
      }
      const all = [...completedFirst, ...inFlight.map((u) => u.mediaId)];
      await world.settle(all, 60_000 + UPLOADS * 1_000);
      await world.stopWorkers();

      const rows = await world.prisma.media.findMany({ where: { id: { in: all } }, include: { renditions: true } });
      const notReady = rows.filter((m) => m.status !== 'ready');
      let wrongRenditions = 0;
      for (const m of rows) {
        const kinds = m.renditions.map((r) => r.kind);
        const listed = await studio.admin.s3.send(
          new ListObjectsV2Command({ Bucket: studio.studio.bucket, Prefix: renditionsPrefix(studio.target.prefix, m.id) }),
        );
        if (kinds.length === 0 || new Set(kinds).size !== kinds.length || (listed.Contents ?? []).length !== kinds.length)
          wrongRenditions += 1;
      }
      const serverErrors = Object.entries(answers)
        .filter(([k]) => / 5\d\d/.test(k))
        .reduce((n, [, v]) => n + v, 0);
      reportFault(
        'role deleted',
        `role deleted with ${transcodingWhenDeleted} transcodes pending and ${inFlight.length} uploads in flight, re-granted after ${regrantedAt - deletedAt} ms (restored ${restoredMs} ms later)`,
        {
          uploadsNotCompleted: notCompleted.length,
          mediaNotReady: notReady.length,
          mediaWithoutExactlyOneRenditionSet: wrongRenditions,
          serverErrors,
        },
        `answers: ${JSON.stringify(answers)}${notReady.length ? `; not ready: ${notReady.map((m) => `${m.status}/${m.failureReason ?? ''}`).join(', ')}` : ''}`,
      );
      expect(answers['list 409 STORAGE_ACCESS_REVOKED']).toBeGreaterThan(0);
      expect({ notCompleted, notReady: notReady.length, wrongRenditions, serverErrors }).toEqual({
        notCompleted: [],
        notReady: 0,
        wrongRenditions: 0,
        serverErrors: 0,
      });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- worker logs ---\n${world.logs.slice(-60).join('\n')}`, { cause: error });
    }
  }, 300_000);
});

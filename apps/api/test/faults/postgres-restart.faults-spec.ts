import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { reportFault } from '@isola/local-stack';
import { createTestTenant, createTestUser, login, startTestApi } from '../support/test-app.js';
import { OwnPostgres } from './support/own-postgres.js';

const DOWN_MS = Number(process.env['FAULT_PG_DOWN_MS'] ?? 3_000);
const RECOVERY_BUDGET_MS = 20_000;

/**
 * PostgreSQL restarted under load (its own instance, DECISIONS.md): the API keeps serving a read
 * route from a few concurrent clients while the server is stopped (`-m immediate`, every connection
 * cut) and started again. The API must recover by itself, without a restart of its own.
 */
describe('fault: PostgreSQL restarted under load (own instance, real API)', () => {
  let pg: OwnPostgres;
  let app: INestApplication;
  let cookie: string;

  beforeAll(async () => {
    pg = await OwnPostgres.start();
    app = await startTestApi({ DATABASE_URL: pg.url, LOG_LEVEL: 'silent' });
    const tenant = await createTestTenant(app);
    const user = await createTestUser(app, { tenantId: tenant.id, role: 'admin' });
    cookie = await login(app, user.email);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await pg?.destroy();
  });

  it('answers again by itself after the restart; the outage is answered, not hung', async () => {
    type Phase = 'before' | 'outage' | 'after';
    let phase: Phase = 'before';
    let stop = false;
    const seen: Record<Phase, Record<string, number>> = { before: {}, outage: {}, after: {} };
    let firstOkAfter: number | null = null;
    let restartedAt = 0;
    let lastFailureAfter: number | null = null;

    const client = async () => {
      while (!stop) {
        const at = phase;
        const res = await request(app.getHttpServer())
          .get('/api/media')
          .set('cookie', cookie)
          .timeout(10_000)
          .then((r) => `${r.status}${r.status >= 400 ? ` ${(r.body as { code?: string }).code ?? ''}` : ''}`)
          .catch((e: Error) => `error ${e.message}`);
        seen[at][res] = (seen[at][res] ?? 0) + 1;
        if (at === 'after') {
          if (res === '200') firstOkAfter ??= Date.now() - restartedAt;
          else lastFailureAfter = Date.now() - restartedAt;
        }
        if (at === 'outage') await new Promise((r) => setTimeout(r, 50));
      }
    };
    const clients = Array.from({ length: 4 }, client);

    await new Promise((r) => setTimeout(r, 1_000));
    phase = 'outage';
    await pg.stopServer();
    await new Promise((r) => setTimeout(r, DOWN_MS));
    await pg.startServer();
    restartedAt = Date.now();
    phase = 'after';
    // keep the load on until 2 s of answers after the first success, within the budget
    const deadline = Date.now() + RECOVERY_BUDGET_MS;
    while (Date.now() < deadline && (firstOkAfter === null || Date.now() - restartedAt < firstOkAfter + 2_000)) {
      await new Promise((r) => setTimeout(r, 100));
    }
    stop = true;
    await Promise.all(clients);

    const failedAfterRecovery = Object.entries(seen.after)
      .filter(([k]) => k !== '200')
      .reduce((n, [, v]) => n + v, 0);
    const serverErrors = (s: Record<string, number>) =>
      Object.entries(s)
        .filter(([k]) => k.startsWith('500') || k.startsWith('error'))
        .reduce((n, [, v]) => n + v, 0);
    reportFault(
      'postgres restart',
      `pg_ctl stop -m immediate, down ${DOWN_MS} ms, start (load: 4 clients on GET /api/media)`,
      { requestsNeverRecovered: firstOkAfter === null ? 1 : 0, serverErrorsDuringOutage: serverErrors(seen.outage) },
      `first 200 ${firstOkAfter ?? 'never'} ms after restart; last failure after restart at ${lastFailureAfter ?? '-'} ms (${failedAfterRecovery} failed); answers: ${JSON.stringify(seen)}`,
    );
    expect(seen.before['200']).toBeGreaterThan(0);
    // the outage is answered clearly: 503 DATABASE_UNAVAILABLE (retryable), never a 500
    const answered = [seen.before, seen.outage, seen.after].flatMap((s) => Object.keys(s));
    expect(answered.filter((k) => k.startsWith('5') && k !== '503 DATABASE_UNAVAILABLE')).toEqual([]);
    expect(seen.outage['503 DATABASE_UNAVAILABLE']).toBeGreaterThan(0);
    expect(firstOkAfter).not.toBeNull();
    // once it answers again it keeps answering: the last failure comes before the first success
    expect(lastFailureAfter === null || lastFailureAfter <= (firstOkAfter ?? 0)).toBe(true);
  }, 90_000);
});

import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { healthResponseSchema } from '@isola/contracts';
import { createApiApp } from '../../src/app.factory.js';
import { testApiConfig } from '../support/test-config.js';

describe('GET /api/health (real PostgreSQL, Redis and Ceph RGW)', () => {
  let app: INestApplication;

  afterEach(async () => {
    await app?.close();
  });

  it('reports every dependency up', async () => {
    app = await createApiApp(testApiConfig());
    await app.init();
    const res = await request(app.getHttpServer()).get('/api/health').expect(200);
    const body = healthResponseSchema.parse(res.body);
    expect(body.status).toBe('ok');
    for (const check of Object.values(body.checks)) expect(check).toMatchObject({ status: 'up' });
    // helmet's headers are on, the framework banner is off
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers 503 naming what is down when the database is unreachable', async () => {
    app = await createApiApp(testApiConfig({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:59999/isola_test' }));
    await app.init();
    const res = await request(app.getHttpServer()).get('/api/health').expect(503);
    expect(res.body.status).toBe('degraded');
    expect(res.body.checks.database.status).toBe('down');
    expect(res.body.checks.database.error).toContain('127.0.0.1:59999');
    expect(res.body.checks.redis.status).toBe('up');
  });

  it('answers unknown routes and malformed JSON with { code, message }', async () => {
    app = await createApiApp(testApiConfig());
    await app.init();
    const missing = await request(app.getHttpServer()).get('/api/nope').expect(404);
    expect(missing.body).toEqual({ code: 'NOT_FOUND', message: expect.any(String) });
    const malformed = await request(app.getHttpServer())
      .post('/api/nope')
      .set('content-type', 'application/json')
      .send('{"broken": ')
      .expect(400);
    expect(malformed.body).toEqual({ code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.' });
  });
});

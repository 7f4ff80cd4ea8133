import { createHash, randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import request from 'supertest';
import { CredentialBroker, StsGateway, type AssumedRoleCredentials } from '@isola/credentials';
import { PrismaClient } from '@isola/database';
import { DEFAULT_POLICY_NAME } from '@isola/local-stack';
import { createApiApp } from '../../src/app.factory.js';
import type { LogDestinationOption } from '../../src/common/logging/logger.options.js';
import type { ApiConfig } from '../../src/config/env.schema.js';
import { toTargetRef } from '../../src/modules/storage/storage-targets.repository.js';
import { openMediaStudio, type MediaStudio } from '../support/media-studio.js';
import { createTestUser, TEST_PASSWORD, WEB_ORIGIN } from '../support/test-app.js';
import { testApiConfig } from '../support/test-config.js';
import { findSecrets, withoutAllowed, type CapturedText, type Secret } from './helpers/secret-scan.js';

/**
 * Issue 8, security: secrets never appear in logs or responses. The API runs in-process with its
 * logger at `trace`, every line captured; a studio's whole life is exercised through HTTP — sign-in
 * (a wrong password, then the right one), an upload through Uppy's routes into a throwaway isolated
 * bucket, links, the audit log and its export, the studio withdrawing its role's permissions and then
 * the role (storage errors), sign-out. Then logs, every response (status line, headers, body) and the
 * rows written for the studio (audit, notices) are scanned for:
 *   - the API platform principal's secret access key — nowhere;
 *   - every credential STS minted during the run (captured at the StsGateway, so the broker's cache
 *     and confirm-denial calls are covered) — secret keys nowhere; session tokens only as the
 *     `X-Amz-Security-Token` of the presigned URLs handed to the studio's own users;
 *   - presigned URL signatures — only in the body of the one response that handed out that URL;
 *   - session cookie tokens — only in the Set-Cookie of the sign-in that issued them;
 *   - the passwords typed — nowhere.
 */
describe('secrets never appear in logs or responses', () => {
  const logLines: string[] = [];
  const responses: Array<{ label: string; status: number; headers: string; body: string }> = [];
  const minted: AssumedRoleCredentials[] = [];
  const wrongPassword = `wrong-${randomBytes(12).toString('hex')}`;
  let app: INestApplication;
  let config: ApiConfig;
  let prisma: PrismaClient;
  let studio: MediaStudio;
  let sessionTokens: string[] = [];

  /** Sends a request and keeps everything that came back. */
  async function record(label: string, test: request.Test): Promise<request.Response> {
    const res = await test;
    responses.push({ label, status: res.status, headers: JSON.stringify(res.headers), body: res.text ?? '' });
    return res;
  }

  const http = () => request(app.getHttpServer());
  const cookieToken = (res: request.Response) => /isola_session=([^;]*)/.exec([res.headers['set-cookie']].flat()[0] ?? '')?.[1] ?? '';

  beforeAll(async () => {
    const options: ApiConfig & LogDestinationOption = {
      ...testApiConfig({ LOG_LEVEL: 'trace' }),
      logDestination: { write: (line: string) => void logLines.push(line) },
    };
    config = options;
    app = await createApiApp(options);
    await app.init();
    prisma = app.get(PrismaClient);
    // every credential STS hands the API from now on, whichever module's gateway asked (the broker's
    // cache in front of it serves the rest)
    const gateways = new Set<StsGateway>();
    for (const module of app.get(ModulesContainer).values()) {
      for (const wrapper of module.providers.values()) if (wrapper.instance instanceof StsGateway) gateways.add(wrapper.instance);
    }
    expect(gateways.size).toBeGreaterThanOrEqual(1);
    for (const gateway of gateways) {
      const assumeRole = gateway.assumeRole.bind(gateway);
      gateway.assumeRole = async (input) => {
        const credentials = await assumeRole(input);
        minted.push(credentials);
        return credentials;
      };
    }
    studio = await openMediaStudio(app, 'secrets');
    sessionTokens = [studio.member.cookie, studio.tenantAdmin.cookie].map((c) => decodeURIComponent(c.split('=')[1]!));
  }, 60_000);
  afterAll(async () => {
    await studio?.destroy();
    await app?.close();
  });

  it('runs a studio’s life through the API and finds no secret where it does not belong', async () => {
    // --- sign-in: a wrong password, then the right one
    const admin = await createTestUser(app, { tenantId: studio.tenant.id, role: 'admin' });
    await record(
      'POST /api/auth/login (wrong password)',
      http().post('/api/auth/login').set('origin', WEB_ORIGIN).send({ email: admin.email, password: wrongPassword }),
    );
    const signIn = await record(
      'POST /api/auth/login',
      http().post('/api/auth/login').set('origin', WEB_ORIGIN).send({ email: admin.email, password: TEST_PASSWORD }),
    );
    expect(signIn.status).toBe(200);
    const token = cookieToken(signIn);
    sessionTokens.push(token);
    const cookie = `isola_session=${token}`;
    await record('GET /api/auth/me', http().get('/api/auth/me').set('cookie', cookie));

    // --- an upload through Uppy's Companion routes, bytes straight to the bucket
    const bytes = randomBytes(64 * 1024);
    const md5 = createHash('md5').update(bytes).digest('base64');
    const created = await record(
      'POST /api/s3/multipart',
      http()
        .post('/api/s3/multipart')
        .set('origin', WEB_ORIGIN)
        .set('cookie', cookie)
        .send({ filename: 'secret scan.mov', type: 'video/quicktime', metadata: { size: bytes.length } }),
    );
    expect(created.status).toBe(200);
    const { uploadId, key, mediaId } = created.body as { uploadId: string; key: string; mediaId: string };
    const upload = `/api/s3/multipart/${encodeURIComponent(uploadId)}`;
    const signed = await record('GET /api/s3/multipart/:uploadId/1', http().get(`${upload}/1`).query({ key, md5 }).set('cookie', cookie));
    expect(signed.status).toBe(200);
    const put = await fetch(signed.body.url as string, {
      method: 'PUT',
      body: bytes,
      headers: signed.body.headers as Record<string, string>,
    });
    expect(put.status).toBe(200);
    await put.arrayBuffer(); // read to the end: an unread body holds its socket open
    const etag = (put.headers.get('etag') ?? '').replace(/"/g, '');
    await record('GET /api/s3/multipart/:uploadId', http().get(upload).query({ key }).set('cookie', cookie));
    const completed = await record(
      'POST /api/s3/multipart/:uploadId/complete',
      http()
        .post(`${upload}/complete`)
        .query({ key })
        .set('origin', WEB_ORIGIN)
        .set('cookie', cookie)
        .send({ parts: [{ PartNumber: 1, ETag: etag }] }),
    );
    expect(completed.status).toBe(200);

    // --- links, the library, the audit log and its export
    const links = await record('GET /api/media/:id/links', http().get(`/api/media/${mediaId}/links`).set('cookie', cookie));
    expect(links.status).toBe(200);
    const download = await fetch(links.body.source.url as string);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    await record('GET /api/media/:id/links (again: cached credential)', http().get(`/api/media/${mediaId}/links`).set('cookie', cookie));
    await record('GET /api/media', http().get('/api/media').set('cookie', cookie));
    await record('GET /api/tenant/audit', http().get('/api/tenant/audit').set('cookie', cookie));
    await record('GET /api/tenant/audit/export', http().get('/api/tenant/audit/export?format=json').set('cookie', cookie));

    // the broker's cached link credential (what signed those links) is one of those captured
    const mintedSoFar = minted.length;
    const cachedLink = await app.get(CredentialBroker).getCredentials(toTargetRef(studio.target), { purpose: 'link' });
    expect(minted).toHaveLength(mintedSoFar);
    expect(minted.map((m) => m.sessionToken)).toContain(cachedLink.sessionToken);

    // --- storage errors: the studio withdraws its role's permissions, then deletes the role
    await studio.admin.deleteRolePolicy(studio.studio.roleName, DEFAULT_POLICY_NAME);
    const denied = await record(
      'POST /api/s3/multipart (permissions withdrawn)',
      http()
        .post('/api/s3/multipart')
        .set('origin', WEB_ORIGIN)
        .set('cookie', cookie)
        .send({ filename: 'b.mp4', type: 'video/mp4', metadata: { size: 10 } }),
    );
    expect(denied.body.code).toBe('PERMISSION_DENIED');
    await studio.admin.deleteRole(studio.studio.roleName);
    const open = await record(
      'POST /api/s3/multipart (role deleted)',
      http()
        .post('/api/s3/multipart')
        .set('origin', WEB_ORIGIN)
        .set('cookie', cookie)
        .send({ filename: 'c.mp4', type: 'video/mp4', metadata: { size: 10 } }),
    );
    expect(open.body.code).toBe('STORAGE_ACCESS_REVOKED');
    await record('GET /api/media/:id/links (revoked)', http().get(`/api/media/${mediaId}/links`).set('cookie', cookie));
    await record('GET /api/tenant/notices', http().get('/api/tenant/notices').set('cookie', cookie));
    await record('POST /api/auth/logout', http().post('/api/auth/logout').set('origin', WEB_ORIGIN).set('cookie', cookie));

    // --- what the run produced
    expect(minted.length).toBeGreaterThanOrEqual(3); // upload, link, confirm-denial at least
    const signatures = responses.flatMap((r) => [...r.body.matchAll(/X-Amz-Signature=([0-9a-f]{64})/g)].map((m) => m[1]!));
    expect(signatures.length).toBeGreaterThanOrEqual(3); // the part URL and two rounds of links
    expect(logLines.length).toBeGreaterThan(20);
    expect(logLines.some((l) => l.includes('"credential issued"'))).toBe(true); // debug lines were captured

    const rows: CapturedText[] = [
      ...(await prisma.auditEvent.findMany({ where: { tenantId: studio.tenant.id } })).map((row) => ({
        source: `audit row ${row.action}`,
        text: JSON.stringify(row),
      })),
      ...(await prisma.notice.findMany({ where: { tenantId: studio.tenant.id } })).map((row) => ({
        source: `notice ${row.kind}`,
        text: JSON.stringify(row),
      })),
      ...(await prisma.storageTarget.findMany({ where: { tenantId: studio.tenant.id } })).map((row) => ({
        source: 'storage target row',
        text: JSON.stringify(row),
      })),
    ];
    const logs: CapturedText[] = [{ source: 'API log', text: logLines.join('') }, ...rows];
    const answers: CapturedText[] = responses.map((r, i) => ({
      source: `response ${i}: ${r.label} → ${r.status}`,
      text: `${r.headers}\n${r.body}`,
    }));

    // 1. the platform principal's secret, minted secret keys and the passwords: nowhere at all
    const nowhere: Secret[] = [
      { label: 'API platform secret access key', value: config.platformPrincipal.secretAccessKey },
      ...minted.map((m, i) => ({ label: `minted secret access key #${i}`, value: m.secretAccessKey })),
      { label: 'password', value: TEST_PASSWORD },
      { label: 'wrong password', value: wrongPassword },
    ];
    expect(findSecrets([...logs, ...answers], nowhere)).toEqual([]);

    // 2. minted session tokens: never in logs or rows; in answers only as a presigned URL's token
    const tokens = minted.map((m, i) => ({ label: `minted session token #${i}`, value: m.sessionToken }));
    expect(findSecrets(logs, tokens)).toEqual([]);
    const answersWithoutPresignedTokens = answers.map((a) => ({
      ...a,
      text: minted.reduce((text, m) => withoutAllowed(text, 'X-Amz-Security-Token=', m.sessionToken), a.text),
    }));
    expect(findSecrets(answersWithoutPresignedTokens, tokens)).toEqual([]);

    // 3. URL signatures: only in the bodies of the answers that hand out presigned URLs (the part URL,
    //    links; two link requests in the same second sign the same URL), never logged
    const signatureSecrets = [...new Set(signatures)].map((value, i) => ({ label: `URL signature #${i}`, value }));
    expect(findSecrets(logs, signatureSecrets)).toEqual([]);
    const urlAnswers = /^response \d+: GET \/api\/(media\/:id\/links|s3\/multipart\/:uploadId\/1)[ (]/;
    for (const signature of signatureSecrets) {
      const where = findSecrets(answers, [signature]).map((h) => h.source);
      expect(where.length).toBeGreaterThanOrEqual(1);
      expect(where.filter((source) => !urlAnswers.test(source))).toEqual([]);
    }
    const headersOnly = responses.map((r, i) => ({ source: `response ${i} headers: ${r.label}`, text: r.headers }));
    expect(findSecrets(headersOnly, signatureSecrets)).toEqual([]);

    // 4. session cookie tokens: only in the Set-Cookie of the sign-in that issued them, never logged
    const cookies = sessionTokens.map((value, i) => ({ label: `session cookie token #${i}`, value }));
    expect(findSecrets(logs, cookies)).toEqual([]);
    const signInAnswer = answers.find((a) => a.source.includes('POST /api/auth/login →') && a.source.endsWith('200'))!;
    expect(findSecrets(answers, cookies)).toEqual([
      { secret: `session cookie token #${sessionTokens.length - 1}`, source: signInAnswer.source, form: 'raw' },
    ]);
    expect(JSON.parse(signInAnswer.text.split('\n')[0]!)['set-cookie'][0]).toContain(token);

    // the scan itself finds what it looks for: a token planted in a copy of the log, in several forms
    const planted = minted[0]!;
    for (const plant of [
      planted.sessionToken,
      encodeURIComponent(planted.secretAccessKey),
      JSON.stringify({ t: token }),
      `sig=${signatures[0]}`,
    ]) {
      const copy = [
        { source: 'API log (with a planted secret)', text: `${logLines.slice(0, 5).join('')}${plant}\n${logLines.slice(5).join('')}` },
      ];
      expect(findSecrets(copy, [...nowhere, ...tokens, ...signatureSecrets, ...cookies]).length).toBeGreaterThan(0);
    }
  }, 90_000);
});

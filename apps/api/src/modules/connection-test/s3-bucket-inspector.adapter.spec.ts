import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StorageErrorCode, isStorageError, type StorageTargetRef } from '@isola/tenant-storage';
import { S3BucketInspector } from './s3-bucket-inspector.adapter.js';

const XMLNS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const error = (code: string) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>m</Message></Error>`;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A stand-in S3 endpoint on 127.0.0.1: one handler per `METHOD /path?subresource`. */
async function fakeS3(routes: Record<string, Handler>): Promise<{ endpoint: string; server: Server; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // path-style: `/<bucket>/?location=` (the SDK keeps a trailing slash); the preflight goes to `/<bucket>`
    const route = `${req.method} ${url.pathname.replace(/\/$/, '')}${url.search.split('&')[0]?.replace(/=$/, '') ?? ''}`;
    seen.push(route);
    const handler = routes[route];
    if (handler) return handler(req, res);
    res.writeHead(500).end(error('InternalError'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

const xml =
  (status: number, body: string): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/xml' }).end(body);
  };

describe('S3BucketInspector (against a stand-in S3 on 127.0.0.1)', () => {
  const servers: Server[] = [];
  afterAll(async () => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));
  const inspector = new S3BucketInspector({ forcePathStyle: () => true, requestTimeoutMs: 2_000 });
  const credentials = {
    accessKeyId: 'ASIAFAKE',
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiresAt: new Date(Date.now() + 3_600_000),
  };
  const target = (endpoint: string): StorageTargetRef => ({
    id: '7a0c3a2e-4d5e-4f60-8a1b-2c3d4e5f6a7b',
    tenantId: '1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d',
    mode: 'isolated',
    provider: 's3_compatible',
    endpoint,
    region: 'us-east-1',
    bucket: 'acme-media',
    prefix: 'isola',
    roleArn: 'arn:aws:iam:::role/acme',
    externalId: 'ext',
  });

  it('reads the location, the encryption algorithms and the policy', async () => {
    const s3 = await fakeS3({
      'GET /acme-media?location': xml(200, `<LocationConstraint ${XMLNS}>default</LocationConstraint>`),
      'GET /acme-media?encryption': xml(
        200,
        `<ServerSideEncryptionConfiguration ${XMLNS}><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>`,
      ),
      'GET /acme-media?policy': (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"Version":"2012-10-17","Statement":[]}'),
    });
    servers.push(s3.server);
    const reads = inspector.open(target(s3.endpoint), credentials);
    try {
      expect(await reads.location()).toBe('default');
      expect(await reads.encryption()).toEqual(['aws:kms']);
      expect(await reads.policy()).toBe('{"Version":"2012-10-17","Statement":[]}');
    } finally {
      reads.close();
    }
  });

  it('answers "nothing configured" as values: empty location (us-east-1), no encryption, no policy', async () => {
    const s3 = await fakeS3({
      'GET /acme-media?location': xml(200, `<LocationConstraint ${XMLNS}/>`),
      'GET /acme-media?encryption': xml(404, error('ServerSideEncryptionConfigurationNotFoundError')),
      'GET /acme-media?policy': xml(404, error('NoSuchBucketPolicy')),
    });
    servers.push(s3.server);
    const reads = inspector.open(target(s3.endpoint), credentials);
    try {
      expect(await reads.location()).toBe('');
      expect(await reads.encryption()).toEqual([]);
      expect(await reads.policy()).toBeNull();
    } finally {
      reads.close();
    }
  });

  it('throws domain errors: a missing bucket, a denial', async () => {
    const s3 = await fakeS3({
      'GET /acme-media?location': xml(404, error('NoSuchBucket')),
      'GET /acme-media?policy': xml(403, error('AccessDenied')),
    });
    servers.push(s3.server);
    const reads = inspector.open(target(s3.endpoint), credentials);
    try {
      const missing: unknown = await reads.location().catch((e: unknown) => e);
      expect(isStorageError(missing) && [missing.code, missing.details.operation]).toEqual([
        StorageErrorCode.BUCKET_NOT_FOUND,
        'GetBucketLocation',
      ]);
      const refused: unknown = await reads.policy().catch((e: unknown) => e);
      expect(isStorageError(refused) && refused.code).toBe(StorageErrorCode.PERMISSION_DENIED);
    } finally {
      reads.close();
    }
  });

  it('sends an unauthenticated preflight to the bucket URL and reads the CORS headers', async () => {
    const requests: IncomingMessage[] = [];
    const s3 = await fakeS3({
      'OPTIONS /acme-media': (req, res) => {
        requests.push(req);
        res
          .writeHead(200, {
            'access-control-allow-origin': 'http://localhost:5173',
            'access-control-allow-methods': 'PUT',
            'access-control-expose-headers': 'ETag, x-amz-request-id',
          })
          .end();
      },
    });
    servers.push(s3.server);
    const answer = await inspector.corsPreflight(target(s3.endpoint), { origin: 'http://localhost:5173', method: 'PUT' });
    expect(answer).toEqual({
      url: `${s3.endpoint}/acme-media`,
      status: 200,
      allowOrigin: 'http://localhost:5173',
      allowMethods: ['PUT'],
      exposeHeaders: ['ETag', 'x-amz-request-id'],
    });
    expect(requests[0]?.headers).toMatchObject({ origin: 'http://localhost:5173', 'access-control-request-method': 'PUT' });
    expect(requests[0]?.headers.authorization).toBeUndefined();
  });

  it('reports an unreachable endpoint as STORAGE_UNAVAILABLE', async () => {
    const s3 = await fakeS3({});
    const { endpoint } = s3;
    await new Promise((resolve) => s3.server.close(resolve));
    const error: unknown = await inspector
      .corsPreflight(target(endpoint), { origin: 'http://localhost:5173', method: 'PUT' })
      .catch((e: unknown) => e);
    expect(isStorageError(error) && error.code).toBe(StorageErrorCode.STORAGE_UNAVAILABLE);
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as contracts from '../index.js';
import { mediaSchema } from '../media.js';
import { API_ROUTES } from './api-routes.js';
import { buildOpenApiDocument, type JsonSchema, type OpenApiDocument } from './build-openapi-document.js';
import { ERROR_CODE_CATALOG } from './error-catalog.js';

const COMMITTED = fileURLToPath(new URL('../../../../docs/openapi.json', import.meta.url));
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Every `*ErrorCode` object this package exports (found by name, so a new one is checked without editing this test). */
function exportedErrorCodeObjects(): Array<[string, Record<string, string>]> {
  const entries: Array<[string, unknown]> = Object.entries(contracts);
  return entries.filter(
    (entry): entry is [string, Record<string, string>] =>
      entry[0].endsWith('ErrorCode') && typeof entry[1] === 'object' && entry[1] !== null && !Array.isArray(entry[1]),
  );
}

/** Every `$ref` in the document, with where it was found. */
function refsIn(value: unknown, at = '#'): Array<{ ref: string; at: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => refsIn(v, `${at}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === '$ref' && typeof v === 'string' ? [{ ref: v, at }] : refsIn(v, `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`),
  );
}

/** Resolves a local JSON pointer (`#/components/schemas/Media`), or undefined. */
function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof node !== 'object' || node === null || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function operations(doc: OpenApiDocument) {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
}

/** The codes an error response lists (inline, or through a shared component). */
function codesOf(doc: OpenApiDocument, response: JsonSchema): string[] {
  const resolved = (typeof response['$ref'] === 'string' ? resolvePointer(doc, response['$ref']) : response) as {
    content: { 'application/json': { schema: { allOf: [unknown, { properties: { code: { enum: string[] } } }] } } };
  };
  return resolved.content['application/json'].schema.allOf[1].properties.code.enum;
}

describe('buildOpenApiDocument', () => {
  const doc = buildOpenApiDocument();

  it('is an OpenAPI 3.1 document served from / with the session cookie as its security scheme', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Isola API', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(doc.components.securitySchemes['sessionCookie']).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'isola_session' });
    expect(doc.security).toEqual([{ sessionCookie: [] }]);
  });

  it('gives every operation a unique id, its responses, and a parameter for each path variable', () => {
    const ops = operations(doc);
    expect(ops).toHaveLength(API_ROUTES.length);
    expect(new Set(ops.map(({ op }) => op.operationId)).size).toBe(ops.length);
    for (const { path, method, op } of ops) {
      expect(HTTP_METHODS.has(method)).toBe(true);
      expect(path).toMatch(/^\/api\//);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      for (const status of Object.keys(op.responses)) expect(status).toMatch(/^[1-5](\d\d|XX)$/);
      const variables = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const pathParams = (op.parameters ?? []).filter((p) => p['in'] === 'path').map((p) => p['name']);
      expect({ path, pathParams }).toEqual({ path, pathParams: variables });
      // every route but the one that always refuses has a 2xx answer
      if (op.operationId !== 'getUploadParams') expect(Object.keys(op.responses).some((s) => s.startsWith('2'))).toBe(true);
      // public routes opt out of the document-wide cookie requirement; the others keep it
      expect(op.security).toEqual(op['x-access'].includes('public') ? [] : undefined);
    }
  });

  it('resolves every $ref', () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter(({ ref }) => resolvePointer(doc, ref) === undefined)).toEqual([]);
  });

  it('lists every code of every exported *ErrorCode object exactly once in the Error schema', () => {
    const code = (doc.components.schemas['Error'] as { properties: { code: { enum: string[]; 'x-enum-descriptions': string[] } } })
      .properties.code;
    const objects = exportedErrorCodeObjects();
    expect(objects.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'CommonErrorCode',
        'UploadErrorCode',
        'MediaErrorCode',
        'SupportErrorCode',
        'StorageTargetErrorCode',
        'ConnectionTestErrorCode',
        'MigrationErrorCode',
        'MembersErrorCode',
        'NoticeErrorCode',
        'RecheckErrorCode',
      ]),
    );
    for (const [name, codes] of objects) {
      for (const value of Object.values(codes)) {
        expect({ name, value, occurrences: code.enum.filter((c) => c === value).length }).toEqual({ name, value, occurrences: 1 });
      }
    }
    expect(new Set(code.enum).size).toBe(code.enum.length);
    expect(code.enum.every((c) => /^[A-Z][A-Z0-9_]*$/.test(c))).toBe(true);
    // one single-line description per code, in the same order
    expect(code['x-enum-descriptions']).toHaveLength(code.enum.length);
    for (const description of code['x-enum-descriptions']) expect(description).toMatch(/^[^\n]{10,}$/);
  });

  it("answers each listed code under that code's HTTP status", () => {
    for (const { path, method, op } of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[45]/.test(status)) continue;
        for (const code of codesOf(doc, response)) {
          const expected = ERROR_CODE_CATALOG[code as keyof typeof ERROR_CODE_CATALOG].status;
          expect({ route: `${method} ${path}`, code, status }).toEqual({
            route: `${method} ${path}`,
            code,
            status: String(expected ?? '4XX'),
          });
        }
      }
    }
  });

  it('derives the error lists from the method and audience', () => {
    const codes = (path: string, method: string) =>
      Object.entries(doc.paths[path]![method]!.responses)
        .filter(([status]) => /^[45]/.test(status))
        .flatMap(([, response]) => codesOf(doc, response));
    // anonymous read: no auth codes, no CSRF
    expect(codes('/api/health', 'get')).toEqual(['VALIDATION_FAILED', 'INTERNAL_ERROR', 'DATABASE_UNAVAILABLE']);
    // anonymous write: CSRF and the JSON body, its own codes, no auth codes
    expect(codes('/api/auth/login', 'post')).toEqual(
      expect.arrayContaining(['CSRF_REJECTED', 'MALFORMED_JSON', 'INVALID_CREDENTIALS', 'LOGIN_RATE_LIMITED']),
    );
    expect(codes('/api/auth/login', 'post')).not.toContain('UNAUTHENTICATED');
    // any signed-in user: no role to lack
    expect(codes('/api/auth/me', 'get')).toContain('UNAUTHENTICATED');
    expect(codes('/api/auth/me', 'get')).not.toContain('FORBIDDEN');
    // the batch signing route the uploader calls
    expect(codes('/api/s3/multipart/{uploadId}/batch', 'get')).toEqual(
      expect.arrayContaining(['UNAUTHENTICATED', 'FORBIDDEN', 'INVALID_PART_NUMBER', 'UPLOAD_NOT_FOUND', 'STORAGE_ACCESS_REVOKED']),
    );
  });

  it('builds its schemas from the zod contracts', () => {
    const media = doc.components.schemas['Media'] as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(media.properties).sort()).toEqual(Object.keys(mediaSchema.shape).sort());
    expect(media.properties['renditions']).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Rendition' } });
    // request bodies are their input side: `type` has a default, so it is optional to send
    const create = doc.components.schemas['CreateMultipartUploadRequest'] as {
      required: string[];
      properties: { metadata: { required: string[] } };
    };
    expect(create.required).toEqual(['filename']);
    expect(create.properties.metadata.required).toEqual(['size']);
    const batch = doc.paths['/api/s3/multipart/{uploadId}/batch']!['get']!;
    expect(batch.responses['200']).toEqual({
      description: expect.any(String),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/SignPartsResponse' } } },
    });
    expect(batch.parameters?.filter((p) => p['in'] === 'query').map((p) => [p['name'], p['required']])).toEqual([
      ['key', true],
      ['partNumbers', true],
    ]);
    const listMedia = doc.paths['/api/media']!['get']!;
    expect(listMedia.parameters?.map((p) => p['name'])).toEqual(['status', 'type', 'q', 'cursor', 'limit']);
  });

  it('is what docs/openapi.json holds (run `pnpm --filter @isola/contracts openapi` after changing a contract)', () => {
    const committed: unknown = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});

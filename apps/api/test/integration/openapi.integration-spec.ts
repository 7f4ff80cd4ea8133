import { RequestMethod, type INestApplication } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import request from 'supertest';
import { API_ERROR_CODES, ERROR_CODE_CATALOG, buildOpenApiDocument, type JsonSchema, type OpenApiDocument } from '@isola/contracts/openapi';
import { StorageErrorCode } from '@isola/tenant-storage';
import { SESSION_COOKIE } from '../../src/common/auth/cookies.js';
import { STORAGE_ERROR_STATUS } from '../../src/common/storage-errors.js';
import { AuthErrorCode, AuthException } from '../../src/modules/auth/auth.exception.js';
import { API_VERSION } from '../../src/modules/health/health.service.js';
import { OpenApiController } from '../../src/modules/openapi/openapi.controller.js';
import { expressRoutes, listHttpRoutes } from '../support/route-table.js';
import { WEB_ORIGIN, startTestApi } from '../support/test-app.js';

/** `/api/media/:id` → `/api/media/{id}`. */
const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

function documented(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
}

/** The status Nest answers a handler's success with: its @HttpCode, else 201 for POST and 200 otherwise. */
function successStatuses(app: INestApplication): Map<string, number> {
  const scanner = new MetadataScanner();
  const statuses = new Map<string, number>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (...args: unknown[]) => unknown;
      const proto = controller.prototype as Record<string, (...args: unknown[]) => unknown>;
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = proto[name]!;
        const code = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        statuses.set(`${controller.name}.${name}`, code ?? (method === RequestMethod.POST ? 201 : 200));
      }
    }
  }
  return statuses;
}

/** The codes an operation documents under `status` (inline or through a shared response). */
function codesUnder(doc: OpenApiDocument, response: JsonSchema | undefined): string[] {
  if (response === undefined) return [];
  const ref = response['$ref'];
  const resolved = (typeof ref === 'string' ? doc.components.responses[ref.split('/').pop()!] : response) as {
    content: { 'application/json': { schema: { allOf: [unknown, { properties: { code: { enum: string[] } } }] } } };
  };
  return resolved.content['application/json'].schema.allOf[1].properties.code.enum;
}

/** A path with every `{param}` filled in (the access guard answers before any handler reads it). */
const concrete = (path: string) => path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');

describe('the OpenAPI document (GET /api/openapi.json)', () => {
  let app: INestApplication;
  const doc = buildOpenApiDocument();

  beforeAll(async () => {
    app = await startTestApi();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('documents exactly the routes Nest serves, with the same methods and paths', () => {
    const served = expressRoutes(app)
      .filter((route) => route.includes(' /api/'))
      .map((route) => {
        const [method, path] = route.split(' ');
        return `${method} ${openApiPath(path!)}`;
      });
    const fromMetadata = listHttpRoutes(app).map((route) => `${route.method} ${openApiPath(route.path)}`);
    expect([...served].sort()).toEqual([...fromMetadata].sort());
    expect(served).toContain('GET /api/s3/multipart/{uploadId}/batch');
    expect(documented(doc).sort()).toEqual([...served].sort());
  });

  it("gives each operation its route's @Access rules and Nest's success status", () => {
    const statuses = successStatuses(app);
    for (const route of listHttpRoutes(app)) {
      const op = doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      const where = `${route.method} ${route.path} (${route.handler})`;
      expect({ where, access: op?.['x-access'] }).toEqual({ where, access: route.rules });
      const success = Object.keys(op?.responses ?? {}).filter((status) => status.startsWith('2'));
      // GET /api/s3/params never succeeds: it documents no 2xx
      if (success.length > 0) expect({ where, success: success[0] }).toEqual({ where, success: String(statuses.get(route.handler)) });
    }
  });

  it('serves the document anonymously, as the builder makes it', async () => {
    const res = await request(app.getHttpServer()).get('/api/openapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(doc)));
    // built once, then kept in memory
    const controller = app.get(OpenApiController);
    expect(controller.get()).toBe(controller.get());
  });

  it('documents the 401 every signed-in route answers anonymously, and the CSRF refusal of every state change', async () => {
    const http = request(app.getHttpServer());
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!op['x-access'].includes('public')) {
          const res = await http[method as 'get'](concrete(path)).set('origin', WEB_ORIGIN);
          expect({ where, status: res.status, code: res.body.code }).toEqual({ where, status: 401, code: 'UNAUTHENTICATED' });
          expect({ where, documented: codesUnder(doc, op.responses['401']) }).toEqual({ where, documented: ['UNAUTHENTICATED'] });
        }
        if (method !== 'get') {
          const res = await http[method as 'post'](concrete(path)).set('origin', 'https://evil.example');
          expect({ where, status: res.status, code: res.body.code }).toEqual({ where, status: 403, code: 'CSRF_REJECTED' });
          expect({ where, documented: codesUnder(doc, op.responses['403']) }).toEqual({
            where,
            documented: expect.arrayContaining(['CSRF_REJECTED']),
          });
        }
      }
    }
  });

  it('lists the codes defined outside @isola/contracts with the status the API sends them with', () => {
    const status = (code: string) => (ERROR_CODE_CATALOG as Record<string, { status: number | null } | undefined>)[code]?.status;
    expect(status(AuthErrorCode.InvalidCredentials)).toBe(AuthException.invalidCredentials().getStatus());
    expect(status(AuthErrorCode.RateLimited)).toBe(AuthException.rateLimited(5).getStatus());
    for (const code of Object.values(StorageErrorCode))
      expect({ code, status: status(code) }).toEqual({ code, status: STORAGE_ERROR_STATUS[code] });
    const enumeration = (doc.components.schemas['Error'] as { properties: { code: { enum: string[] } } }).properties.code.enum;
    expect(enumeration).toEqual(API_ERROR_CODES);
    expect(enumeration).toEqual(expect.arrayContaining([...Object.values(AuthErrorCode), ...Object.values(StorageErrorCode)]));
  });

  it("names the API's session cookie and version", () => {
    expect(doc.components.securitySchemes['sessionCookie']).toMatchObject({ in: 'cookie', name: SESSION_COOKIE });
    expect(doc.info.version).toBe(API_VERSION);
  });
});

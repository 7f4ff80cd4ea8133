import { z } from 'zod';
import { apiErrorSchema } from '../errors.js';
import { API_ROUTES, type ApiRoute, type RouteAccess, type RouteSuccess, type RouteTag } from './api-routes.js';
import { plainRequestSchemas, requestSchemas, responseSchemas } from './component-schemas.js';
import { API_ERROR_CODES, ERROR_CODE_CATALOG, type ApiErrorCode } from './error-catalog.js';

/**
 * Isola's OpenAPI 3.1 document, built from the route table (api-routes.ts), the zod contracts of this
 * package (component-schemas.ts) and the error catalog (error-catalog.ts). Pure and deterministic:
 * docs/openapi.json is this function's output (`pnpm --filter @isola/contracts openapi`), and the API
 * serves it at GET /api/openapi.json.
 */

export type JsonSchema = Record<string, unknown>;

export interface OpenApiOperation {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  /** The route's `@Access(...)` rules. */
  'x-access': RouteAccess[];
  security?: Array<Record<string, string[]>>;
  parameters?: JsonSchema[];
  requestBody?: JsonSchema;
  responses: Record<string, JsonSchema>;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string; description?: string }>;
  tags: Array<{ name: string; description: string }>;
  security: Array<Record<string, string[]>>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    /** One error response per code, shared by every operation that answers that code alone under its status. */
    responses: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
}

/** The API's version (apps/api HealthService `API_VERSION`; the API's openapi test keeps them equal). */
const API_VERSION = '0.1.0';
/** The session cookie (apps/api common/auth/cookies.ts `SESSION_COOKIE`; checked by the same test). */
const SESSION_COOKIE = 'isola_session';
const SECURITY_SCHEME = 'sessionCookie';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const RESPONSE_REF = '#/components/responses/';

const TAGS: Record<RouteTag, string> = {
  auth: 'Sign-in and the session.',
  health: 'Liveness of the API and its dependencies.',
  media: "The studio's media library and presigned links.",
  uploads: "Uppy's Companion S3 routes (multipart only): media bytes go straight to the bucket.",
  storage: 'Storage targets: the setup kit, the connection test, revocation re-checks.',
  migrations: 'Switching storage targets and the migrations that follow.',
  notices: "In-app notices for the studio's admins.",
  members: "The studio's members and their roles.",
  audit: "The studio's audit log and its export.",
  support: 'Support access: grants given by studio admins, and what platform staff see.',
  usage: 'Storage, egress and estimated cost.',
  meta: 'This document.',
};

const WHO: Record<RouteAccess, string> = {
  public: 'anyone (no session needed)',
  authenticated: 'any signed-in user',
  'tenant-member': "a member or admin of the session's studio",
  'tenant-admin': "an admin of the session's studio",
  staff: 'platform staff (support or admin)',
  'staff-admin': 'platform admins',
};

const DESCRIPTION = [
  'The HTTP API of Isola. Every route is under `/api`; the web app reaches it on its own origin.',
  '',
  `**Sessions.** \`POST /api/auth/login\` sets the \`${SESSION_COOKIE}\` cookie (HttpOnly, SameSite=Lax, Path=/api); every other route but the public ones needs it. Each operation's \`x-access\` lists who may call it.`,
  '',
  '**CSRF.** POST, PATCH and DELETE requests must carry an `Origin` header naming the web app (or `Sec-Fetch-Site: same-origin`), else 403 `CSRF_REJECTED`.',
  '',
  '**Errors.** Every error is `{ code, message, details? }` with the HTTP status. Codes are UPPER_SNAKE; the `Error` schema lists each with its status and meaning, and each operation lists the ones it can answer.',
].join('\n');

export function buildOpenApiDocument(): OpenApiDocument {
  const paths: Record<string, Record<string, OpenApiOperation>> = {};
  for (const route of API_ROUTES) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Isola API', version: API_VERSION, description: DESCRIPTION },
    servers: [{ url: '/', description: 'The origin serving the API (the web app proxies /api to it).' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    security: [{ [SECURITY_SCHEME]: [] }],
    paths,
    components: {
      schemas: mergeDistinct(
        componentSchemas(responseSchemas, 'output'),
        documentUppyMetadata(componentSchemas(requestSchemas, 'input')),
        plainRequestSchemas,
        { Error: errorSchema() },
      ),
      responses: sharedErrorResponses(paths),
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'The session cookie `POST /api/auth/login` sets.',
        },
      },
    },
  };
}

// ─── operations ──────────────────────────────────────────────────────────────────────────────────

function operation(route: ApiRoute): OpenApiOperation {
  const stateChanging = STATE_CHANGING.has(route.method);
  const parameters = [...pathParameters(route), ...queryParameters(route)];
  const description = [
    route.description,
    `**Who may call:** ${route.access.map((rule) => WHO[rule]).join(', or ')}.`,
    stateChanging ? '**CSRF:** needs a same-origin `Origin` (or `Sec-Fetch-Site: same-origin`) header.' : undefined,
  ]
    .filter((line): line is string => line !== undefined)
    .join('\n\n');
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    description,
    'x-access': [...route.access],
    ...(route.access.includes('public') ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body === undefined
      ? {}
      : { requestBody: { required: true, content: { 'application/json': { schema: componentRef(route.body) } } } }),
    responses: responses(route),
  };
}

function pathParameters(route: ApiRoute): JsonSchema[] {
  return [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    ...(route.params?.[name!] === undefined ? {} : { description: route.params[name!] }),
    schema: { type: 'string' },
  }));
}

function queryParameters(route: ApiRoute): JsonSchema[] {
  if (route.query === undefined) return [];
  if (isParamList(route.query)) return route.query.map((p) => ({ in: 'query', ...p }));
  const object = withoutMeta(z.toJSONSchema(route.query, { io: 'input' }));
  const required = new Set((object['required'] as string[] | undefined) ?? []);
  return Object.entries((object['properties'] as Record<string, JsonSchema> | undefined) ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema,
  }));
}

function isParamList(query: NonNullable<ApiRoute['query']>): query is Extract<NonNullable<ApiRoute['query']>, readonly unknown[]> {
  return Array.isArray(query);
}

function responses(route: ApiRoute): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  if (route.success !== null) out[String(route.success.status)] = successResponse(route.success);
  if (route.alsoAnswers !== undefined) {
    const { status, description, schema } = route.alsoAnswers;
    out[String(status)] = { description, content: { 'application/json': { schema: componentRef(schema) } } };
  }
  const byStatus = new Map<string, ApiErrorCode[]>();
  for (const code of errorCodesOf(route)) {
    const status = ERROR_CODE_CATALOG[code].status;
    const key = status === null ? '4XX' : String(status);
    byStatus.set(key, [...(byStatus.get(key) ?? []), code]);
  }
  for (const [status, codes] of byStatus) {
    out[status] = codes.length === 1 && status !== '4XX' ? { $ref: `${RESPONSE_REF}${codes[0]}` } : errorResponse(status, codes);
  }
  return out;
}

function successResponse(success: RouteSuccess): JsonSchema {
  const content =
    success.schema !== undefined
      ? { 'application/json': { schema: componentRef(success.schema) } }
      : success.content === undefined
        ? undefined
        : Object.fromEntries(Object.entries(success.content).map(([type, schema]) => [type, { schema }]));
  return {
    description: success.description,
    ...(success.headers === undefined ? {} : { headers: success.headers }),
    ...(content === undefined ? {} : { content }),
  };
}

/**
 * The codes a route can answer: its own, plus the ones every route of its kind can — 400 for a NUL in
 * the URL or a bad field, the access guard's, the CSRF check and the JSON body parser on state
 * changes, and the server's own failures. In catalog order.
 */
export function errorCodesOf(route: ApiRoute): ApiErrorCode[] {
  const unknown = route.errors.filter((code) => !(code in ERROR_CODE_CATALOG));
  if (unknown.length > 0)
    throw new Error(`${route.method} ${route.path} lists codes missing from the error catalog: ${unknown.join(', ')}`);
  const codes = new Set<ApiErrorCode>(['VALIDATION_FAILED', 'INTERNAL_ERROR', 'DATABASE_UNAVAILABLE', ...route.errors]);
  if (STATE_CHANGING.has(route.method))
    for (const code of ['CSRF_REJECTED', 'MALFORMED_JSON', 'PAYLOAD_TOO_LARGE'] as const) codes.add(code);
  if (!route.access.includes('public')) {
    codes.add('UNAUTHENTICATED');
    if (!route.access.includes('authenticated')) codes.add('FORBIDDEN');
  }
  return API_ERROR_CODES.filter((code) => codes.has(code));
}

/** The shared single-code error responses the operations refer to, in catalog order. */
function sharedErrorResponses(paths: OpenApiDocument['paths']): Record<string, JsonSchema> {
  const used = new Set<string>();
  for (const item of Object.values(paths))
    for (const op of Object.values(item))
      for (const response of Object.values(op.responses)) {
        const ref = response['$ref'];
        if (typeof ref === 'string' && ref.startsWith(RESPONSE_REF)) used.add(ref.slice(RESPONSE_REF.length));
      }
  return Object.fromEntries(
    API_ERROR_CODES.filter((code) => used.has(code)).map((code) => [code, errorResponse(String(ERROR_CODE_CATALOG[code].status), [code])]),
  );
}

function errorResponse(status: string, codes: ApiErrorCode[]): JsonSchema {
  return {
    description: codes.map((code) => `- \`${code}\`: ${ERROR_CODE_CATALOG[code].description}`).join('\n'),
    ...(status === '429'
      ? { headers: { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } } } }
      : {}),
    content: {
      'application/json': {
        schema: { allOf: [componentRef('Error'), { type: 'object', properties: { code: { enum: codes } } }] },
      },
    },
  };
}

// ─── schemas ─────────────────────────────────────────────────────────────────────────────────────

const componentRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Named zod schemas → JSON Schema 2020-12 (OpenAPI 3.1's dialect); named ones nested in others become $refs. */
function componentSchemas(named: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutMeta(schema)]));
}

/** One object from several, refusing a name two of them use (a response and a request schema, say). */
function mergeDistinct(...parts: Array<Record<string, JsonSchema>>): Record<string, JsonSchema> {
  const merged: Record<string, JsonSchema> = {};
  for (const part of parts) {
    for (const [name, schema] of Object.entries(part)) {
      if (name in merged) throw new Error(`two component schemas are named ${name}`);
      merged[name] = schema;
    }
  }
  return merged;
}

/** Drops `$schema` and `$id`: a component is a schema inside the document, not a standalone one. */
function withoutMeta(schema: object): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
  return rest;
}

/**
 * The create-upload contract leaves `metadata.size` to a separate check (INVALID_SIZE,
 * UPLOAD_TOO_LARGE); clients still need to know they must send it.
 */
function documentUppyMetadata(schemas: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const request = schemas['CreateMultipartUploadRequest'] as { properties: { metadata: JsonSchema } } | undefined;
  if (request === undefined) throw new Error('CreateMultipartUploadRequest is missing from the request schemas');
  const metadata = request.properties.metadata;
  const properties = (metadata['properties'] ?? {}) as Record<string, JsonSchema>;
  request.properties.metadata = {
    ...metadata,
    properties: {
      size: {
        type: ['integer', 'string'],
        description: 'Required: the file size in bytes, a whole number ≥ 1 (a JSON number or a decimal string).',
      },
      ...properties,
      ...(properties['sha256'] === undefined
        ? {}
        : { sha256: { ...properties['sha256'], description: "Optional: the file's SHA-256 (the worker computes it when absent)." } }),
    },
    required: ['size'],
  };
  return schemas;
}

/** `{ code, message, details? }`, with every code the API can answer in `code`'s enum. */
function errorSchema(): JsonSchema {
  const base = withoutMeta(z.toJSONSchema(apiErrorSchema)) as JsonSchema & { properties: Record<string, JsonSchema> };
  const rows = API_ERROR_CODES.map((code) => {
    const { status, description } = ERROR_CODE_CATALOG[code];
    return `| \`${code}\` | ${status ?? '4xx'} | ${description.replaceAll('|', '\\|')} |`;
  });
  return {
    ...base,
    description: ['Every error response. `code` is one of:', '', '| code | HTTP status | meaning |', '|---|---|---|', ...rows].join('\n'),
    properties: {
      ...base.properties,
      code: {
        ...base.properties['code'],
        enum: API_ERROR_CODES,
        'x-enum-descriptions': API_ERROR_CODES.map((code) => ERROR_CODE_CATALOG[code].description),
      },
      message: { ...base.properties['message'], description: 'For people: what went wrong and what to do.' },
      details: { ...base.properties['details'], description: 'Code-specific facts (fields, limits, retryable…).' },
    },
  };
}

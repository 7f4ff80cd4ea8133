// Links API benchmark (issue 8, benchmark 2): `GET /api/media/:id/links` per second (cached `link`
// credential) ÷ a control endpoint added to the same Nest app — same authentication (the global
// AccessGuard, `tenant-member`), the same audit write, a constant JSON body of the same size — with
// the HTTP load from a second process (bench/lib/load.ts, keep-alive connections); p50/p99 latency of
// each, and the STS calls (AssumeRole, counted on the app's CredentialEvents) during the run.
//
//   cd /work/main && . scripts/bootstrap.sh && pnpm turbo run build --filter=@isola/api... --filter=@isola/local-stack
//   node bench/links-api.ts [--seconds 5] [--rounds 3] [--connections 8]
//
// The control module exists only in this script: it is added to the app by wrapping
// AppModule.register before createApiApp builds it, so the app is otherwise the production one.
// Rounds alternate the two endpoints; the ratio is the median of per-round ratios. The API runs in
// this process (apps/api/dist), DB isola_bench, Redis DB 8; the media row points at a throwaway studio.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { AppModule } from '../apps/api/dist/app.module.js';
import { createApiApp } from '../apps/api/dist/app.factory.js';
import { Access, CurrentActor } from '../apps/api/dist/common/auth/access.decorator.js';
import { AuditService } from '../apps/api/dist/modules/audit/audit.service.js';
import { MediaRepository } from '../apps/api/dist/modules/media/media.repository.js';
import { CredentialEvents } from '../packages/credentials/dist/index.js';
import { createMedia } from '../packages/database/dist/seed/index.js';
import { ROOT, WEB_ORIGIN, log, openApiBench } from './lib/isola-api.ts';

interface NestCommon {
  Module: (meta: object) => ClassDecorator;
  Controller: (prefix: string) => ClassDecorator;
  Get: (path: string) => MethodDecorator;
  Param: (name: string) => ParameterDecorator;
  Req: () => ParameterDecorator;
  Inject: (token: unknown) => ParameterDecorator;
}
const fromApi = createRequire(new URL('../apps/api/package.json', import.meta.url));
const nest = fromApi('@nestjs/common') as NestCommon;

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '8' },
  },
});
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = Number(args.connections);

// ------------------------------------------------------------------------------------------ the control endpoint

interface AuditRecord {
  record(entry: object): Promise<void>;
}
interface Actor {
  tenant: { id: string } | null;
}
interface ReqLike {
  ip?: string;
  get(name: string): string | undefined;
}

/**
 * Filled from one real call before the run: the real response (constant) and its audit row's fields;
 * and the app's MediaRepository for the second control (which also reads the media as the real route does).
 */
const control = {
  body: {} as object,
  audit: {} as Record<string, unknown>,
  media: null as null | { findForStorage(tenantId: string, id: string): Promise<unknown> },
};

class BenchControlController {
  private readonly audit: AuditRecord;

  constructor(audit: AuditRecord) {
    this.audit = audit;
  }

  async links(actor: Actor, id: string, req: ReqLike): Promise<object> {
    await this.audit.record({
      ...control.audit,
      tenantId: actor.tenant?.id ?? null,
      action: 'bench.control_links',
      actor,
      ip: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
      details: { mediaId: id },
    });
    return control.body;
  }

  /** The same, after the real route's media read (MediaRepository.findForStorage). */
  async linksAfterRead(actor: Actor, id: string, req: ReqLike): Promise<object> {
    if ((await control.media!.findForStorage(actor.tenant?.id ?? '', id)) === null) throw new Error('media not found');
    return this.links(actor, id, req);
  }
}
// Node runs this file by stripping types, so decorators are applied by hand.
nest.Inject(AuditService)(BenchControlController, undefined, 0);
const proto = BenchControlController.prototype;
for (const [method, path] of [
  ['links', 'media/:id/links'],
  ['linksAfterRead', 'media/:id/links-after-read'],
] as const) {
  const descriptor = Object.getOwnPropertyDescriptor(proto, method)!;
  nest.Get(path)(proto, method, descriptor);
  (Access('tenant-member') as MethodDecorator)(proto, method, descriptor);
  CurrentActor()(proto, method, 0);
  nest.Param('id')(proto, method, 1);
  nest.Req()(proto, method, 2);
}
nest.Controller('bench-control')(BenchControlController);
class BenchControlModule {}
nest.Module({ controllers: [BenchControlController] })(BenchControlModule);

type Register = typeof AppModule.register;
const register: Register = AppModule.register.bind(AppModule);
AppModule.register = ((...registerArgs: Parameters<Register>) => {
  const dynamic = register(...registerArgs);
  return { ...dynamic, imports: [...(dynamic.imports ?? []), BenchControlModule] };
}) as Register;

// ------------------------------------------------------------------------------------------ load

interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rate: number;
  p50: number;
  p99: number;
}

function load(url: string, cookie: string): Promise<LoadResult> {
  const spec = { url, headers: { cookie, origin: WEB_ORIGIN }, connections: CONNECTIONS, seconds: SECONDS, warmup: 1 };
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>) };
  delete childEnv['NODE_OPTIONS'];
  const child = spawn(process.execPath, [join(ROOT, 'bench/lib/load.ts'), JSON.stringify(spec)], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited ${code}`)))),
  );
}

// ------------------------------------------------------------------------------------------ main

const bench = await openApiBench('bench-links-api', {
  build: async (config) => {
    const app = await createApiApp(config);
    await app.init();
    return app;
  },
});
try {
  const app = bench.app!;
  control.media = app.get(MediaRepository, { strict: false }) as typeof control.media;
  let stsCalls = 0;
  const events = app.get(CredentialEvents, { strict: false }) as { onIssued(event: unknown): void };
  const onIssued = events.onIssued.bind(events);
  events.onIssued = (event) => {
    stsCalls += 1;
    onIssued(event);
  };

  // a ready media with a source and three renditions (links are presigned: the objects need not exist)
  const media = await createMedia(bench.prisma as never, {
    tenantId: bench.tenantId,
    storageTargetId: bench.target.id,
    filename: 'Bench clip — final.mp4',
    status: 'ready',
  });
  for (const [kind, name] of [
    ['proxy', 'proxy.mp4'],
    ['thumbnail', 'thumbnail.jpg'],
    ['poster', 'poster.jpg'],
  ] as const) {
    await bench.prisma.rendition
      .create({
        data: {
          mediaId: media.id,
          storageTargetId: bench.target.id,
          kind: kind as never,
          objectKey: `${bench.target.prefix}/media/${media.id}/renditions/${name}`,
          sizeBytes: 1000n,
          sha256: '0'.repeat(64),
          contentType: name.endsWith('.jpg') ? 'image/jpeg' : 'video/mp4',
        },
      })
      .catch((error: unknown) => log(`rendition ${kind} not created (${String(error).slice(0, 120)})`));
  }

  const realPath = `/api/media/${media.id}/links`;
  const controlPath = `/api/bench-control/media/${media.id}/links`;
  const readPath = `/api/bench-control/media/${media.id}/links-after-read`;
  // one real call: the constant body (same size) and the audit fields the control endpoint repeats
  const first = await fetch(`${bench.origin}${realPath}`, { headers: { cookie: bench.cookie } });
  const realText = await first.text();
  if (first.status !== 200) throw new Error(`links answered ${first.status}: ${realText}`);
  control.body = JSON.parse(realText) as object;
  const row = await bench.prisma.auditEvent.findFirstOrThrow({ where: { tenantId: bench.tenantId, action: 'media.links' } });
  control.audit = {
    purpose: row.purpose,
    sessionName: row.sessionName,
    storageTargetId: row.storageTargetId,
    objectKeys: row.objectKeys,
    expiresAt: row.expiresAt,
  };
  const controlText = await (await fetch(`${bench.origin}${controlPath}`, { headers: { cookie: bench.cookie } })).text();
  if (controlText.length !== realText.length) throw new Error(`control body ${controlText.length} B ≠ real ${realText.length} B`);
  const unauthenticated = await fetch(`${bench.origin}${controlPath}`);
  if (unauthenticated.status !== 401) throw new Error(`the control endpoint answered ${unauthenticated.status} without a session`);

  const stsBefore = stsCalls;
  const auditBefore = await bench.prisma.auditEvent.count({ where: { tenantId: bench.tenantId } });
  const real: LoadResult[] = [];
  const plain: LoadResult[] = [];
  const withRead: LoadResult[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    log(`round ${round}/${ROUNDS}: /api/media/:id/links`);
    real.push(await load(`${bench.origin}${realPath}`, bench.cookie));
    log(`round ${round}/${ROUNDS}: control`);
    plain.push(await load(`${bench.origin}${controlPath}`, bench.cookie));
    log(`round ${round}/${ROUNDS}: control after the media read`);
    withRead.push(await load(`${bench.origin}${readPath}`, bench.cookie));
  }
  const sts = stsCalls - stsBefore;
  const auditRows = (await bench.prisma.auditEvent.count({ where: { tenantId: bench.tenantId } })) - auditBefore;

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const ratios = real.map((r, i) => r.rate / (plain[i]?.rate ?? Number.NaN));
  const fmt = (r: LoadResult) =>
    `${Math.round(r.rate).toLocaleString('en-US')} req/s | ${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} ms | ${r.errors}`;
  console.log(
    `\nLinks API benchmark — ${ROUNDS} round(s) × ${SECONDS} s per endpoint, ${CONNECTIONS} keep-alive connections from a second process, ` +
      `response ${realText.length} B (${Object.keys((control.body as { renditions?: object }).renditions ?? {}).length} renditions + source), ${new Date().toISOString()}`,
  );
  console.log('round | endpoint | rate | p50 / p99 latency | non-200');
  console.log('---|---|---|---|---');
  real.forEach((r, i) => {
    console.log(`${i + 1} | GET /api/media/:id/links | ${fmt(r)}`);
    console.log(`${i + 1} | control (same auth + audit, constant JSON) | ${fmt(plain[i]!)}`);
    console.log(`${i + 1} | diagnostic: control + the route's media read (findForStorage) | ${fmt(withRead[i]!)}`);
  });
  console.log(
    `ratio links ÷ control: ${median(ratios).toFixed(3)} median of per-round ratios (${ratios.map((r) => r.toFixed(3)).join(', ')}); target ≥ 0.8`,
  );
  const readRatios = withRead.map((r, i) => r.rate / (plain[i]?.rate ?? Number.NaN));
  console.log(
    `diagnostic: control with the media read ÷ control: ${median(readRatios).toFixed(3)} (the share of the gap the read explains)`,
  );
  const served = [...real, ...plain, ...withRead].reduce((n, r) => n + r.requests + r.errors, 0);
  console.log(
    `STS calls (AssumeRole) during the run: ${sts}; audit rows written: ${auditRows} (≥ ${served} requests measured, plus warm-ups)`,
  );
  if ([...real, ...plain, ...withRead].some((r) => r.errors > 0)) process.exitCode = 1;
} finally {
  await bench.close();
}

// Links API benchmark (issue 8, benchmark 2): `GET /api/media/:id/links` per second (cached `link`
// credential) ÷ a control endpoint added to the same Nest app — same authentication (the global
// AccessGuard, `tenant-member`), the same audit write, a constant JSON body of the same size — with
// the HTTP load from a second process (bench/lib/load.ts, keep-alive connections); p50/p99 latency of
// each, and the STS calls (AssumeRole, counted on the app's CredentialEvents) during the run.
//
//   cd /work/main && . scripts/bootstrap.sh && pnpm turbo run build --filter=@isola/api... --filter=@isola/local-stack
//   node bench/links-api.ts [--seconds 5] [--rounds 3] [--connections 8] [--slice 1] [--profile DIR]
//
// The control module exists only in this script: it is added to the app by wrapping
// AppModule.register before createApiApp builds it, so the app is otherwise the production one.
// Two diagnostic endpoints split the route's cost: the control after the route's media read, and the
// control answering the route's four links signed by a bare SDK SignatureV4 (nothing of Isola's).
// Each round measures every endpoint for `--seconds`, interleaved in slices of `--slice` seconds
// (links, control, diagnostics; the order rotated every turn), so the load other processes put on a
// shared machine falls on the endpoints alike; the ratio is the median of per-round ratios. The API
// runs in this process (apps/api/dist) on the bench DB and Redis DB (BENCH_DATABASE_URL,
// BENCH_REDIS_URL); the media row points at a throwaway studio.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { AppModule } from '../apps/api/dist/app.module.js';
import { createApiApp } from '../apps/api/dist/app.factory.js';
import { Access, CurrentActor } from '../apps/api/dist/common/auth/access.decorator.js';
import { AuditService } from '../apps/api/dist/modules/audit/audit.service.js';
import { MediaRepository } from '../apps/api/dist/modules/media/media.repository.js';
import { CredentialBroker, CredentialEvents } from '../packages/credentials/dist/index.js';
import { createMedia } from '../packages/database/dist/seed/index.js';
import { storageTargetRefFrom, type TemporaryCredentials } from '../packages/tenant-storage/dist/index.js';
import { bareSdkSigner } from './lib/bare-sdk-signer.ts';
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
    slice: { type: 'string', default: '1' },
    // diagnostic: a CPU profile of the API per endpoint slice, written to this directory
    profile: { type: 'string' },
  },
});
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = Number(args.connections);
const SLICE = Number(args.slice);
const SLICES = Math.max(1, Math.round(SECONDS / SLICE));

// ------------------------------------------------------------------------------------------ the control endpoint

interface AuditRecord {
  record(entry: object): Promise<void>;
}
interface Actor {
  tenant: { id: string } | null;
}
interface ReqLike {
  ip?: string;
  id?: string;
  get(name: string): string | undefined;
}

/**
 * Filled from one real call before the run: the real response (constant) and its audit row's fields and details;
 * and the app's MediaRepository for the second control (which also reads the media as the real route does).
 */
const control = {
  body: {} as object,
  audit: {} as Record<string, unknown>,
  details: {} as Record<string, unknown>,
  media: null as null | { findForLinks(tenantId: string, id: string): Promise<MediaForLinks | null> },
};

/** What this script reads of `MediaRepository.findForLinks`' answer. */
interface MediaForLinks {
  objectKey: string;
  filename: string;
  storageTarget: Parameters<typeof storageTargetRefFrom>[0];
  renditions: { kind: string; objectKey: string }[];
}
interface BrokerLike {
  getCredentials(target: ReturnType<typeof storageTargetRefFrom>, scope: { purpose: 'link' }): Promise<TemporaryCredentials>;
}

/**
 * Diagnostic: the real route's four links (same keys, same dispositions, same lifetime) presigned by a
 * bare SDK `SignatureV4` — one per credential, as DECISIONS.md requires, built once from the app's
 * cached link credential — and formatted with the SDK's query builder, as `getSignedUrl` does. No read,
 * no broker lookup, no scope checks, nothing of Isola's: what the signing the route cannot avoid costs.
 */
const sdkSigned = { sign: undefined as undefined | (() => Promise<object>) };

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
      correlationId: req.id ?? null,
      details: { ...control.details, mediaId: id },
    });
    return control.body;
  }

  /** The same, after the real route's media read (MediaRepository.findForLinks). */
  async linksAfterRead(actor: Actor, id: string, req: ReqLike): Promise<object> {
    if ((await control.media!.findForLinks(actor.tenant?.id ?? '', id)) === null) throw new Error('media not found');
    return this.links(actor, id, req);
  }

  /** The same, answering the route's four links presigned by the bare SDK signer (`sdkSigned`). */
  async linksSdkSigned(actor: Actor, id: string, req: ReqLike): Promise<object> {
    const body = await sdkSigned.sign!();
    await this.links(actor, id, req);
    return body;
  }
}
// Node runs this file by stripping types, so decorators are applied by hand.
nest.Inject(AuditService)(BenchControlController, undefined, 0);
const proto = BenchControlController.prototype;
for (const [method, path] of [
  ['links', 'media/:id/links'],
  ['linksAfterRead', 'media/:id/links-after-read'],
  ['linksSdkSigned', 'media/:id/links-sdk-signed'],
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
  /** Responses in the endpoint's slices, drained ones included (what `cpuMs` was spent on). */
  served: number;
  /** CPU time of this process — the API — during the endpoint's slices (ms). */
  cpuMs: number;
}

const profiler = args.profile === undefined ? undefined : new Session();
let profiles = 0;
/** With `--profile`: profiles each slice on its own, `<dir>/<endpoint>-<n>.cpuprofile` (CPU time outside the slices is left out). */
async function profileSlice(message: { slice: 'start' | 'end'; target: string }): Promise<void> {
  if (profiler === undefined || args.profile === undefined) return;
  if (message.slice === 'start') {
    await profiler.post('Profiler.start');
    return;
  }
  const { profile } = await profiler.post('Profiler.stop');
  mkdirSync(args.profile, { recursive: true });
  writeFileSync(join(args.profile, `${message.target}-${(profiles += 1)}.cpuprofile`), JSON.stringify(profile));
}

/** One round: the endpoints interleaved in slices (bench/lib/load.ts), each measured SLICES × SLICE seconds. */
function load(urls: Record<string, string>, cookie: string): Promise<Record<string, LoadResult>> {
  const spec = {
    targets: Object.entries(urls).map(([name, url]) => ({ name, url })),
    headers: { cookie, origin: WEB_ORIGIN },
    connections: CONNECTIONS,
    slices: SLICES,
    sliceSeconds: SLICE,
    warmup: 1,
  };
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>) };
  delete childEnv['NODE_OPTIONS'];
  const child = spawn(process.execPath, [join(ROOT, 'bench/lib/load.ts'), JSON.stringify(spec)], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  // the generator stops at each slice's start and end until answered: this process's CPU time then
  const cpuMs: Record<string, number> = {};
  let sliceStart = process.cpuUsage();
  child.on('message', (message: { slice: 'start' | 'end'; target: string }) => {
    if (message.slice === 'end') {
      const used = process.cpuUsage(sliceStart);
      cpuMs[message.target] = (cpuMs[message.target] ?? 0) + (used.user + used.system) / 1000;
    }
    // the profiler starts before and stops after the slice's CPU reading: its own work is not counted
    void profileSlice(message)
      .catch((error: unknown) => log(`profile not written: ${String(error)}`))
      .finally(() => {
        if (message.slice === 'start') sliceStart = process.cpuUsage();
        child.send('go');
      });
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited ${code}`));
      const results = JSON.parse(out) as Record<string, Omit<LoadResult, 'cpuMs'>>;
      resolve(Object.fromEntries(Object.entries(results).map(([name, r]) => [name, { ...r, cpuMs: cpuMs[name] ?? Number.NaN }])));
    }),
  );
}

// ------------------------------------------------------------------------------------------ main

if (profiler !== undefined) {
  profiler.connect();
  await profiler.post('Profiler.enable');
}
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
  const sdkPath = `/api/bench-control/media/${media.id}/links-sdk-signed`;
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
  // the same details too (renditions, bytes exposed, credential expiry): the same row, but for its action
  control.details = row.details as Record<string, unknown>;
  const mediaRow = await control.media!.findForLinks(bench.tenantId, media.id);
  if (mediaRow === null) throw new Error('the bench media is not readable');
  {
    const credentials = await (app.get(CredentialBroker, { strict: false }) as BrokerLike).getCredentials(
      storageTargetRefFrom(mediaRow.storageTarget),
      { purpose: 'link' },
    );
    const signer = bareSdkSigner({
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
      },
      region: mediaRow.storageTarget.region,
      endpoint: mediaRow.storageTarget.endpoint!,
      bucket: mediaRow.storageTarget.bucket,
    });
    const expiresIn = Math.round((Date.parse((control.body as { source: { expiresAt: string } }).source.expiresAt) - Date.now()) / 1000);
    // the very dispositions the route signed (download name of the source, inline renditions)
    const realBody = control.body as { source: { url: string }; renditions: Record<string, { url: string }> };
    const dispositionOf = (url: string) => new URL(url).searchParams.get('response-content-disposition')!;
    const links = [
      { name: 'source', key: mediaRow.objectKey, disposition: dispositionOf(realBody.source.url) },
      ...mediaRow.renditions.map((r) => ({ name: r.kind, key: r.objectKey, disposition: dispositionOf(realBody.renditions[r.kind]!.url) })),
    ];
    const signOne = async (link: (typeof links)[number]) => {
      const signed = await signer.presignGet(link.key, link.disposition, expiresIn);
      const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + expiresIn * 1000).toISOString();
      return { url: signer.url(signed), expiresAt };
    };
    sdkSigned.sign = async () => {
      const [source, ...renditions] = await Promise.all(links.map(signOne));
      return { source, renditions: Object.fromEntries(links.slice(1).map((link, i) => [link.name, renditions[i]])) };
    };
  }
  // the diagnostic's links are real: RGW accepts the signature (404: the bench's objects do not exist; a bad one is 403)
  const sdkResponse = await fetch(`${bench.origin}${sdkPath}`, { headers: { cookie: bench.cookie } });
  const sdkBody = (await sdkResponse.json()) as { source: { url: string } };
  const sdkFetch = await fetch(sdkBody.source.url);
  await sdkFetch.arrayBuffer();
  if (sdkResponse.status !== 200 || sdkFetch.status !== 404) {
    throw new Error(`the SDK-signed diagnostic answered ${sdkResponse.status}, its link ${sdkFetch.status} (want 200, 404 NoSuchKey)`);
  }
  const controlText = await (await fetch(`${bench.origin}${controlPath}`, { headers: { cookie: bench.cookie } })).text();
  if (controlText.length !== realText.length) throw new Error(`control body ${controlText.length} B ≠ real ${realText.length} B`);
  const unauthenticated = await fetch(`${bench.origin}${controlPath}`);
  if (unauthenticated.status !== 401) throw new Error(`the control endpoint answered ${unauthenticated.status} without a session`);

  const stsBefore = stsCalls;
  const auditBefore = await bench.prisma.auditEvent.count({ where: { tenantId: bench.tenantId } });
  const real: LoadResult[] = [];
  const plain: LoadResult[] = [];
  const withRead: LoadResult[] = [];
  const withSdk: LoadResult[] = [];
  const loadBefore = loadavg()[0]!;
  for (let round = 1; round <= ROUNDS; round += 1) {
    log(`round ${round}/${ROUNDS}: links, control, control + read, control + SDK signing — ${SLICES} × ${SLICE} s each, interleaved`);
    const results = await load(
      {
        real: `${bench.origin}${realPath}`,
        control: `${bench.origin}${controlPath}`,
        read: `${bench.origin}${readPath}`,
        sdk: `${bench.origin}${sdkPath}`,
      },
      bench.cookie,
    );
    real.push(results['real']!);
    plain.push(results['control']!);
    withRead.push(results['read']!);
    withSdk.push(results['sdk']!);
  }
  const loadAfter = loadavg()[0]!;
  const sts = stsCalls - stsBefore;
  const auditRows = (await bench.prisma.auditEvent.count({ where: { tenantId: bench.tenantId } })) - auditBefore;

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const ratios = real.map((r, i) => r.rate / (plain[i]?.rate ?? Number.NaN));
  const cpuPerRequest = (r: LoadResult) => r.cpuMs / r.served;
  const fmt = (r: LoadResult) =>
    `${Math.round(r.rate).toLocaleString('en-US')} req/s | ${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} ms | ` +
    `${cpuPerRequest(r).toFixed(2)} ms | ${r.errors}`;
  console.log(
    `\nLinks API benchmark — ${ROUNDS} round(s) × ${SECONDS} s per endpoint, ${CONNECTIONS} keep-alive connections from a second process, ` +
      `response ${realText.length} B (${Object.keys((control.body as { renditions?: object }).renditions ?? {}).length} renditions + source), ` +
      `interleaved in ${SLICE} s slices, ${new Date().toISOString()}; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`,
  );
  console.log('round | endpoint | rate | p50 / p99 latency | API CPU per request | non-200');
  console.log('---|---|---|---|---|---');
  real.forEach((r, i) => {
    console.log(`${i + 1} | GET /api/media/:id/links | ${fmt(r)}`);
    console.log(`${i + 1} | control (same auth + audit, constant JSON) | ${fmt(plain[i]!)}`);
    console.log(`${i + 1} | diagnostic: control + the route's media read (findForLinks) | ${fmt(withRead[i]!)}`);
    console.log(`${i + 1} | diagnostic: control + its four links signed by a bare SDK SignatureV4 | ${fmt(withSdk[i]!)}`);
  });
  const pooled = (results: LoadResult[]) => results.reduce((n, r) => n + r.requests, 0) / results.reduce((n, r) => n + r.seconds, 0);
  console.log(
    `ratio links ÷ control: ${median(ratios).toFixed(3)} median of per-round ratios (${ratios.map((r) => r.toFixed(3)).join(', ')}); ` +
      `all rounds pooled ${(pooled(real) / pooled(plain)).toFixed(3)}; target ≥ 0.8`,
  );
  const readRatios = withRead.map((r, i) => r.rate / (plain[i]?.rate ?? Number.NaN));
  console.log(
    `diagnostic: control with the media read ÷ control: ${median(readRatios).toFixed(3)} ` +
      `(1 − this = the part of the gap one media read accounts for; links ÷ this = the rest of the route)`,
  );
  const sdkRatios = withSdk.map((r, i) => r.rate / (plain[i]?.rate ?? Number.NaN));
  console.log(
    `diagnostic: control with the SDK's signing of the four links ÷ control: ${median(sdkRatios).toFixed(3)} ` +
      `(${sdkRatios.map((r) => r.toFixed(3)).join(', ')}; what the signing DECISIONS.md requires costs, before anything of Isola's)`,
  );
  // CPU per request pooled over the rounds: what the API process spends, whatever else runs on the machine
  const cpu = (results: LoadResult[]) => results.reduce((n, r) => n + r.cpuMs, 0) / results.reduce((n, r) => n + r.served, 0);
  console.log(
    `API CPU per request: links ${cpu(real).toFixed(2)} ms, control ${cpu(plain).toFixed(2)} ms, control + read ${cpu(withRead).toFixed(2)} ms, ` +
      `control + SDK signing ${cpu(withSdk).toFixed(2)} ms; ` +
      `control ÷ links ${(cpu(plain) / cpu(real)).toFixed(3)} (the throughput ratio when the API process is the bottleneck)`,
  );
  const served = [...real, ...plain, ...withRead, ...withSdk].reduce((n, r) => n + r.requests + r.errors, 0);
  console.log(
    `STS calls (AssumeRole) during the run: ${sts}; audit rows written: ${auditRows} (≥ ${served} requests measured, plus warm-ups)`,
  );
  if ([...real, ...plain, ...withRead, ...withSdk].some((r) => r.errors > 0)) process.exitCode = 1;
} finally {
  await bench.close();
}

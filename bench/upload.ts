// Upload benchmark (issue 8, benchmark 1): a file uploaded through Isola's flow (the Uppy-compatible
// routes: create, part URLs signed ahead in batches as the web client does, complete; the parts PUT straight to the presigned URLs) ÷ the same
// file uploaded raw to the same RGW bucket with a role credential, same part size and concurrency;
// and the bytes the API read from its sockets meanwhile (request lines, headers and JSON bodies).
//
//   cd /work/main && . scripts/bootstrap.sh && pnpm turbo run build --filter=@isola/api... --filter=@isola/local-stack
//   node bench/upload.ts [--mib 1024] [--part-mib 8] [--concurrency 4] [--rounds 2] [--diagnostic] [--pause-seconds 75]
//
// The raw side: `@aws-sdk/lib-storage`'s `Upload` on one S3Client (the studio role's credential), with
// the same part size (`partSize`) and concurrency (`queueSize`), over the same bytes held in one Buffer.
// Each round uploads raw and Isola, in alternating order; each upload's object is deleted before the next (memstore keeps
// objects in RAM, ≤ 4 GiB, and RGW frees deleted multipart data only at its next garbage collection,
// so keep size × uploads per round (2, or 3 with --diagnostic) well under that). The API runs as its own process (bench/lib/api-process.ts: apps/api/dist's createApiApp),
// DB isola_bench, Redis DB 8.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

import { loadLocalEnv } from '../infra/local/dist/index.js';
import { MIB, WEB_ORIGIN, log, openApiBench, quantile } from './lib/isola-api.ts';

interface Command {
  readonly input: object;
}
interface SdkS3 {
  S3Client: new (config: object) => { send(command: Command): Promise<Record<string, unknown>>; destroy(): void };
  DeleteObjectCommand: new (input: { Bucket: string; Key: string }) => Command;
  HeadObjectCommand: new (input: { Bucket: string; Key: string }) => Command;
}
interface SdkLibStorage {
  Upload: new (options: {
    client: unknown;
    params: { Bucket: string; Key: string; Body: Uint8Array; ContentType: string };
    partSize: number;
    queueSize: number;
    leavePartsOnError: boolean;
  }) => { done(): Promise<unknown> };
}
interface SdkSts {
  STSClient: new (config: object) => { send(command: Command): Promise<{ Credentials?: Record<string, string> }>; destroy(): void };
  AssumeRoleCommand: new (input: { RoleArn: string; RoleSessionName: string; DurationSeconds: number }) => Command;
}
const fromTenantStorage = createRequire(new URL('../packages/tenant-storage/package.json', import.meta.url));
const s3 = fromTenantStorage('@aws-sdk/client-s3') as SdkS3;
const sts = fromTenantStorage('@aws-sdk/client-sts') as SdkSts;
const { Upload } = fromTenantStorage('@aws-sdk/lib-storage') as SdkLibStorage;

const { values: args } = parseArgs({
  options: {
    mib: { type: 'string', default: '1024' },
    'part-mib': { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '2' },
    // a third upload per round: Isola's with every part signed beforehand (the API's share, isolated)
    diagnostic: { type: 'boolean', default: false },
    // between rounds: RGW's garbage collection (30 s period in infra/local) frees the deleted uploads
    'pause-seconds': { type: 'string' },
  },
});
const SIZE = Number(args.mib) * MIB;
const PART = Number(args['part-mib']) * MIB;
const CONCURRENCY = Number(args.concurrency);
/** Part URLs per batch sign request: the web client's default (SignAhead). */
const SIGN_BATCH = 8;
const ROUNDS = Number(args.rounds);
const PAUSE_SECONDS = Number(args['pause-seconds'] ?? (Number(args.mib) >= 512 ? 75 : 0));
const PARTS = Math.ceil(SIZE / PART);

// four distinct random parts, reused in turn (generating 1 GiB of randomness would dominate the run)
const pool = Array.from({ length: 4 }, () => new Uint8Array(randomBytes(PART)));
const partBytes = (n: number): Uint8Array => {
  const bytes = pool[n % pool.length]!;
  const end = Math.min(PART, SIZE - (n - 1) * PART);
  return end === PART ? bytes : bytes.subarray(0, end);
};
/** The same bytes as one body, for lib-storage (it uploads views of it, part by part; no copies). */
const wholeFile = (): Uint8Array => {
  const file = new Uint8Array(SIZE);
  for (let n = 1; n <= PARTS; n += 1) file.set(partBytes(n), (n - 1) * PART);
  return file;
};

// Isola's part PUTs go through node:http with a keep-alive agent, like the SDK's NodeHttpHandler on
// the raw side, so both sides use the same HTTP transport (undici's fetch was measured ~20 % slower
// for 8 MiB bodies here; in a browser Uppy uses XHR, not either of these).
const putAgent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
function httpPut(url: string, headers: Record<string, string>, body: Uint8Array): Promise<{ status: number; etag: string; text: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent: putAgent,
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: 'PUT',
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: String(res.headers.etag ?? ''), text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `task(1..PARTS)` with at most CONCURRENCY in flight; returns the ETags by part number. */
async function eachPart(task: (n: number) => Promise<string>): Promise<{ PartNumber: number; ETag: string }[]> {
  const etags: string[] = [];
  let next = 1;
  const lane = async () => {
    while (next <= PARTS) {
      const n = next++;
      etags[n - 1] = await task(n);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return etags.map((ETag, i) => ({ PartNumber: i + 1, ETag }));
}

const env = loadLocalEnv();
const bench = await openApiBench('bench-upload', { process: true });
const stsClient = new sts.STSClient({ endpoint: env.endpoint, region: env.region, credentials: env.api });
let rawClient: InstanceType<SdkS3['S3Client']> | undefined;
try {
  const bucket = bench.studio.bucket;
  // the raw side's role credential: the studio role assumed by the API's platform principal
  const assumed = await stsClient.send(
    new sts.AssumeRoleCommand({ RoleArn: bench.studio.roleArn, RoleSessionName: 'isola-bench-raw-upload', DurationSeconds: 3600 }),
  );
  const c = assumed.Credentials ?? {};
  const raw = new s3.S3Client({
    endpoint: env.endpoint,
    region: env.region,
    forcePathStyle: true,
    credentials: { accessKeyId: c['AccessKeyId'], secretAccessKey: c['SecretAccessKey'], sessionToken: c['SessionToken'] },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  rawClient = raw;

  const body = wholeFile();
  const rawUpload = async (round: number): Promise<number> => {
    const Key = `raw/bench-${round}.bin`;
    const started = performance.now();
    const upload = new Upload({
      client: raw,
      params: { Bucket: bucket, Key, Body: body, ContentType: 'video/mp4' },
      partSize: PART,
      queueSize: CONCURRENCY,
      leavePartsOnError: false,
    });
    await upload.done();
    const ms = performance.now() - started;
    const head = await bench.admin.s3.send(new s3.HeadObjectCommand({ Bucket: bucket, Key }) as never);
    if ((head as { ContentLength?: number }).ContentLength !== SIZE) throw new Error('raw upload: wrong size stored');
    await bench.admin.s3.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key }) as never);
    return ms;
  };

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${bench.origin}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', origin: WEB_ORIGIN, cookie: bench.cookie, ...(init.headers ?? {}) },
    });

  /**
   * Diagnostic (not the figure): the same upload with every part signed through the API BEFORE the
   * clock starts, then only the fetch PUTs and the complete timed — separates the per-part sign round
   * trips from the PUT transport (fetch here, the SDK's node:http handler on the raw side).
   */
  const presignedUpload = async (round: number): Promise<number> => {
    const createRes = await api('/api/s3/multipart', {
      method: 'POST',
      body: JSON.stringify({ filename: `bench-pre-${round}.mp4`, type: 'video/mp4', metadata: { size: SIZE } }),
    });
    const { uploadId, key } = (await createRes.json()) as { uploadId: string; key: string };
    const q = `key=${encodeURIComponent(key)}`;
    const id = encodeURIComponent(uploadId);
    const urls: { url: string; headers: Record<string, string> }[] = [];
    for (let n = 1; n <= PARTS; n += 1) {
      const signed = await api(`/api/s3/multipart/${id}/${n}?${q}`);
      if (signed.status !== 200) throw new Error(`sign answered ${signed.status}: ${await signed.text()}`);
      urls[n - 1] = (await signed.json()) as { url: string; headers: Record<string, string> };
    }
    const started = performance.now();
    const parts = await eachPart(async (n) => {
      const put = await httpPut(urls[n - 1]!.url, urls[n - 1]!.headers, partBytes(n));
      if (put.status !== 200) throw new Error(`part PUT answered ${put.status}: ${put.text}`);
      return put.etag;
    });
    const done = await api(`/api/s3/multipart/${id}/complete?${q}`, { method: 'POST', body: JSON.stringify({ parts }) });
    if (done.status !== 200) throw new Error(`complete answered ${done.status}: ${await done.text()}`);
    await done.arrayBuffer();
    const ms = performance.now() - started;
    await bench.admin.s3.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: key }) as never);
    return ms;
  };

  const isolaUpload = async (round: number): Promise<{ ms: number; apiBytes: number; signMs: number[]; completeMs: number }> => {
    await bench.meter.start();
    const started = performance.now();
    const createRes = await api('/api/s3/multipart', {
      method: 'POST',
      body: JSON.stringify({ filename: `bench-${round}.mp4`, type: 'video/mp4', metadata: { size: SIZE } }),
    });
    if (createRes.status !== 200) throw new Error(`create answered ${createRes.status}: ${await createRes.text()}`);
    const { uploadId, key } = (await createRes.json()) as { uploadId: string; key: string; mediaId: string };
    const q = `key=${encodeURIComponent(key)}`;
    const id = encodeURIComponent(uploadId);
    const signMs: number[] = [];
    // What the web client does (apps/web SignAhead): part URLs from the batch route, SIGN_BATCH at a
    // time, the next batch asked for once fewer than half a batch of signed URLs is left unused.
    const signed = new Map<number, Promise<{ url: string; headers: Record<string, string> }>>();
    let asked = 0;
    const askNextBatch = () => {
      const batch = Array.from({ length: Math.min(SIGN_BATCH, PARTS - asked) }, (_, i) => asked + i + 1);
      if (batch.length === 0) return;
      asked += batch.length;
      const request = api(`/api/s3/multipart/${id}/batch?${q}&partNumbers=${batch.join(',')}`).then(async (res) => {
        if (res.status !== 200) throw new Error(`batch sign answered ${res.status}: ${await res.text()}`);
        return (await res.json()) as { presignedUrls: Record<string, string>; headers: Record<string, string> };
      });
      for (const n of batch)
        signed.set(
          n,
          request.then((r) => ({ url: r.presignedUrls[String(n)]!, headers: r.headers })),
        );
    };
    const parts = await eachPart(async (n) => {
      const signStarted = performance.now();
      if (!signed.has(n)) askNextBatch();
      const pending = signed.get(n)!;
      signed.delete(n);
      if (signed.size < SIGN_BATCH / 2) askNextBatch();
      const { url, headers } = await pending;
      signMs.push(performance.now() - signStarted);
      const put = await httpPut(url, headers, partBytes(n));
      if (put.status !== 200) throw new Error(`part PUT answered ${put.status}: ${put.text}`);
      return put.etag;
    });
    const completeStarted = performance.now();
    const done = await api(`/api/s3/multipart/${id}/complete?${q}`, { method: 'POST', body: JSON.stringify({ parts }) });
    if (done.status !== 200) throw new Error(`complete answered ${done.status}: ${await done.text()}`);
    await done.arrayBuffer();
    const completeMs = performance.now() - completeStarted;
    const ms = performance.now() - started;
    const apiBytes = await bench.meter.stop();
    await bench.admin.s3.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: key }) as never);
    return { ms, apiBytes, signMs, completeMs };
  };

  const rows: string[] = [];
  const ratios: number[] = [];
  const mibps = (ms: number) => (SIZE / MIB / (ms / 1000)).toFixed(1);
  for (let round = 1; round <= ROUNDS; round += 1) {
    if (round > 1 && PAUSE_SECONDS > 0) {
      log(`waiting ${PAUSE_SECONDS} s for RGW's garbage collection to free the last round's objects (memstore)`);
      await new Promise((resolve) => setTimeout(resolve, PAUSE_SECONDS * 1000));
    }
    // the order alternates (raw first in odd rounds, Isola first in even ones): whichever goes first
    // meets RGW fresh from the pause, so neither side always gets that turn
    const runRaw = () => (log(`round ${round}/${ROUNDS}: raw`), rawUpload(round));
    const runIsola = () => (log(`round ${round}/${ROUNDS}: Isola`), isolaUpload(round));
    let rawMs: number;
    let isola: Awaited<ReturnType<typeof isolaUpload>>;
    if (round % 2 === 1) {
      rawMs = await runRaw();
      isola = await runIsola();
    } else {
      isola = await runIsola();
      rawMs = await runRaw();
    }
    let presignedMs: number | undefined;
    if (args.diagnostic) {
      log(`round ${round}/${ROUNDS}: diagnostic, parts signed beforehand`);
      presignedMs = await presignedUpload(round);
    }
    const ratio = rawMs / isola.ms; // throughput ratio Isola ÷ raw
    ratios.push(ratio);
    rows.push(
      [
        String(round),
        `${(rawMs / 1000).toFixed(2)} s (${mibps(rawMs)} MiB/s)`,
        `${(isola.ms / 1000).toFixed(2)} s (${mibps(isola.ms)} MiB/s)`,
        `${ratio.toFixed(3)}`,
        `${isola.apiBytes.toLocaleString('en-US')} B (${((isola.apiBytes / SIZE) * 100).toFixed(4)} %)`,
        `${quantile(isola.signMs, 0.5).toFixed(0)} / ${quantile(isola.signMs, 0.95).toFixed(0)} ms`,
        `${isola.completeMs.toFixed(0)} ms`,
        presignedMs === undefined ? '(--diagnostic)' : `${(presignedMs / 1000).toFixed(2)} s (${mibps(presignedMs)} MiB/s)`,
      ].join(' | '),
    );
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  console.log(
    `\nUpload benchmark — ${SIZE / MIB} MiB, ${PARTS} parts of ${PART / MIB} MiB, concurrency ${CONCURRENCY}, ${ROUNDS} round(s), ${new Date().toISOString()}`,
  );
  console.log(
    'round | raw lib-storage Upload (role credential) | Isola flow (create, batch-sign ahead, complete) | throughput Isola ÷ raw (target ≥ 0.95) | bytes the API read (target < 0.1 %) | a lane’s wait for its part URL p50 / p95 | complete | diagnostic: Isola with every part signed beforehand (PUTs + complete timed)',
  );
  console.log('---|---|---|---|---|---|---|---');
  for (const row of rows) console.log(row);
  console.log(`median ratio Isola ÷ raw: ${median.toFixed(3)} (target ≥ 0.95)`);
} finally {
  rawClient?.destroy();
  stsClient.destroy();
  putAgent.destroy();
  await bench.close();
}

// Link minting benchmark: presigned GET URLs per second through Isola's broker (cached `link`
// credential, one reused SignatureV4 per credential) against @aws-sdk/s3-request-presigner's
// getSignedUrl (one reused S3Client, same credential), then a sample of the broker's URLs fetched
// from the local Ceph RGW to show they are valid. Creates and destroys its own test studio.
//
//   cd /work/main && . scripts/bootstrap.sh && pnpm turbo run build --filter=@isola/credentials...
//   node bench/link-minting.ts [--seconds 0.8] [--rounds 7]
//
// Node 24 runs this TypeScript file as is (type stripping); it imports the packages' built dist.
// Needs the local RGW on 127.0.0.1:7480 (infra/local/ceph-up.sh).
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

import { LocalStackAdmin, createTestStudio, loadLocalEnv } from '../infra/local/dist/index.js';
import { AwsStsGateway, LinkSigner, NoopCredentialEvents, StsCredentialBroker } from '../packages/credentials/dist/index.js';
import { SystemClock } from '../packages/runtime/dist/index.js';
import { bareSdkSigner } from './lib/bare-sdk-signer.ts';
import { S3ObjectStoreFactory, contentDisposition, renditionKey, type StorageTargetRef } from '../packages/tenant-storage/dist/index.js';

// The SDK resolves from the package that depends on it (pnpm keeps it out of the root); typed here
// only as far as this script uses it.
interface SdkS3 {
  S3Client: new (config: object) => { destroy(): void };
  GetObjectCommand: new (input: { Bucket: string; Key: string; ResponseContentDisposition?: string }) => object;
}
interface SdkPresigner {
  getSignedUrl(client: unknown, command: unknown, options: { expiresIn: number }): Promise<string>;
}
const fromTenantStorage = createRequire(new URL('../packages/tenant-storage/package.json', import.meta.url));
const { GetObjectCommand, S3Client } = fromTenantStorage('@aws-sdk/client-s3') as SdkS3;
const { getSignedUrl } = fromTenantStorage('@aws-sdk/s3-request-presigner') as SdkPresigner;

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '0.8' }, rounds: { type: 'string', default: '7' } },
});
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const SAMPLE = 20;
const PREFIX = 'bench';

const keyOf = (i: number) => renditionKey(PREFIX, `m${i}`, '720p.mp4');
const filenameOf = (i: number) => `Clip ${i} — final.mp4`;

type Mint = (i: number) => Promise<unknown>;

/** Calls `mint(i)` with increasing i for `seconds`; returns URLs per second. */
async function measure(mint: Mint, seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    // batches of 100 between clock reads keep the loop's own cost out of the figure
    for (let j = 0; j < 100; j += 1) await mint(count++);
  }
  return count / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const env = loadLocalEnv();
const admin = new LocalStackAdmin(env);
await admin.waitUntilReady(10_000);
const studio = await createTestStudio(admin, { label: 'bench-links' });
const stores = new S3ObjectStoreFactory();
const gateway = new AwsStsGateway({ principal: env.api });
let sdkClient: { destroy(): void } | undefined;
try {
  const target: StorageTargetRef = {
    id: 'bench-target',
    tenantId: 'bench-tenant',
    mode: 'isolated',
    provider: 's3_compatible',
    endpoint: env.endpoint,
    region: env.region,
    bucket: studio.bucket,
    prefix: PREFIX,
    roleArn: studio.roleArn,
    externalId: 'bench-external-id',
  };

  // objects for the validity check, written with the admin identity
  const adminStore = stores.forCredentials(
    { ...target, prefix: '' },
    { ...env.admin, sessionToken: '', expiresAt: new Date(Date.now() + 3_600_000) },
  );
  for (let i = 0; i < SAMPLE; i += 1) await adminStore.putObject({ key: keyOf(i), body: `video ${i}`, contentType: 'video/mp4' });

  const clock = new SystemClock();
  const broker = new StsCredentialBroker(gateway, clock, new NoopCredentialEvents());
  const links = new LinkSigner(broker, stores, clock);
  const credentials = await broker.getCredentials(target, { purpose: 'link' });
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;

  const client = new S3Client({
    endpoint: env.endpoint,
    region: env.region,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  sdkClient = client;

  const brokerMint: Mint = (i) => links.signLink(target, { key: keyOf(i), filename: filenameOf(i) });
  const sdkMint: Mint = (i) =>
    getSignedUrl(
      client,
      new GetObjectCommand({ Bucket: studio.bucket, Key: keyOf(i), ResponseContentDisposition: contentDisposition(filenameOf(i)) }),
      { expiresIn: 900 },
    );
  // reference: the SDK's SigV4 signer alone, what the broker path wraps (no cache lookup, no URL formatting)
  const signer = bareSdkSigner({
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    region: env.region,
    endpoint: env.endpoint,
    bucket: studio.bucket,
  });
  const signerMint: Mint = (i) => signer.presignGet(keyOf(i), contentDisposition(filenameOf(i)), 900);

  // warm-up (JIT, signing-key caches), and the sample URLs to fetch afterwards
  const sample: { url: string }[] = [];
  for (let i = 0; i < 2_000; i += 1) {
    const link = await links.signLink(target, { key: keyOf(i), filename: filenameOf(i) });
    if (i < SAMPLE) sample.push(link);
    await sdkMint(i);
    await signerMint(i);
  }

  const cases: [string, Mint][] = [
    ['broker, one signLink call per URL', brokerMint],
    ['reference: bare SignatureV4.presign', signerMint],
    ['getSignedUrl (s3-request-presigner)', sdkMint],
  ];
  const rates: number[][] = cases.map(() => []);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [index, [, mint]] of cases.entries()) rates[index]?.push(await measure(mint, SECONDS));
  }
  const [brokerRates = [], , sdkRates = []] = rates;
  const medians = rates.map(median);
  const sdkRate = median(sdkRates);
  // Each round measures the cases back to back: a per-round ratio cancels most of the load other
  // processes put on the machine, which moves absolute figures by ±50 % here.
  const roundRatios = brokerRates.map((rate, round) => rate / (sdkRates[round] ?? Number.NaN));

  console.log(`link minting: ${ROUNDS} rounds × ${SECONDS} s per case, interleaved; medians (Node ${process.versions.node}, one thread)`);
  for (const [index, [name]] of cases.entries()) {
    const rate = medians[index] ?? Number.NaN;
    const ratio = index === cases.length - 1 ? '' : `  ${(rate / sdkRate).toFixed(1).padStart(5)}× getSignedUrl`;
    console.log(`  ${name.padEnd(40)} ${fmt(rate).padStart(7)} URLs/s${ratio}   (rounds: ${(rates[index] ?? []).map(fmt).join(', ')})`);
  }
  console.log(
    `  ratio, broker per URL / getSignedUrl: ${median(roundRatios).toFixed(1)}× median of per-round ratios ` +
      `(${roundRatios.map((r) => r.toFixed(1)).join(', ')}); target ≥ 10×`,
  );

  let ok = 0;
  for (const [i, link] of sample.entries()) {
    const response = await fetch(link.url);
    const body = await response.text();
    const disposition = response.headers.get('content-disposition');
    if (response.status === 200 && body === `video ${i}` && disposition === contentDisposition(filenameOf(i))) ok += 1;
  }
  console.log(
    `  validity: ${ok}/${sample.length} broker-minted URLs fetched from the local RGW (200, right bytes, right Content-Disposition)`,
  );
  if (ok !== sample.length) process.exitCode = 1;
} finally {
  sdkClient?.destroy();
  stores.destroy();
  gateway.destroy();
  await studio.destroy();
  admin.destroy();
}

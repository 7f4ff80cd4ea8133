// A small HTTP load generator for the API benchmarks (autocannon is not installed in this workspace):
// `connections` keep-alive connections (node:http Agent), each sending GET requests back to back for
// `seconds` after a `warmup`; prints one JSON line: requests, errors, rate, latency percentiles (ms).
//
//   node bench/lib/load.ts '{"url":"http://127.0.0.1:3000/api/health","headers":{},"connections":8,"seconds":5,"warmup":1}'
import { Agent, request } from 'node:http';

interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  warmup: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
const url = new URL(spec.url);

function get(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'GET', headers: spec.headers },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const latencies: number[] = [];
let errors = 0;
let measuring = false;
const warmupEnd = performance.now() + spec.warmup * 1000;
const end = warmupEnd + spec.seconds * 1000;
let measuredFrom = 0;

async function lane(): Promise<void> {
  while (performance.now() < end) {
    const started = performance.now();
    let status = 0;
    try {
      status = await get();
    } catch {
      status = 0;
    }
    const now = performance.now();
    if (!measuring && now >= warmupEnd) {
      measuring = true;
      measuredFrom = now;
    }
    if (measuring && started >= measuredFrom) {
      if (status === 200) latencies.push(now - started);
      else errors += 1;
    }
  }
}

await Promise.all(Array.from({ length: spec.connections }, lane));
const elapsed = (performance.now() - measuredFrom) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(q * latencies.length) - 1))] ?? Number.NaN;
agent.destroy();
process.stdout.write(
  `${JSON.stringify({ requests: latencies.length, errors, seconds: elapsed, rate: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) })}\n`,
);

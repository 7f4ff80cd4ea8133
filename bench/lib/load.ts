// A small HTTP load generator for the API benchmarks (instead of autocannon: it interleaves targets in
// slices and reports each slice's edges to the parent, below):
// `connections` keep-alive connections (node:http Agent), each sending GET requests back to back;
// prints one JSON line per run: for each target, requests, errors, rate, latency percentiles (ms).
//
//   node bench/lib/load.ts '{"url":"http://127.0.0.1:3000/api/health","headers":{},"connections":8,"seconds":5,"warmup":1}'
//
// Interleaved (`targets` instead of `url`): each target is warmed up for `warmup` s, then the targets
// take turns in slices of `sliceSeconds` — `slices` turns each, the order rotated every turn (ABC,
// BCA, CAB…) — so a burst of load from other processes on a shared machine falls on every target
// alike instead of on whichever happened to run then. Between slices the in-flight requests are
// drained, so a slice measures one target only. A target's rate = requests completed inside its
// slices ÷ the slices' total duration.
//
//   node bench/lib/load.ts '{"targets":[{"name":"a","url":"…"},{"name":"b","url":"…"}],"headers":{},"connections":8,"slices":4,"sliceSeconds":1,"warmup":1}'
//
// Started with an IPC channel, it tells the parent when each measured slice starts and ends
// ({slice: 'start' | 'end', target, served}) and waits for any reply before going on: a parent that
// hosts the server can read its own CPU time at those instants (CPU per request, which the load
// of other processes does not inflate the way it inflates latency). `served` counts every response
// of the slice, the drained ones included.
import { Agent, request } from 'node:http';

interface LoadTarget {
  name: string;
  url: string;
}

interface LoadSpec {
  headers: Record<string, string>;
  connections: number;
  /** Seconds of unmeasured load per target before measuring. */
  warmup: number;
  /** One target for `seconds`… */
  url?: string;
  seconds?: number;
  /** …or several, interleaved. */
  targets?: LoadTarget[];
  slices?: number;
  sliceSeconds?: number;
}

interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rate: number;
  p50: number;
  p99: number;
  served: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });

function get(url: URL): Promise<number> {
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

interface Tally {
  latencies: number[];
  errors: number;
  ms: number;
  /** Every response received in the slices, the ones that completed after a slice's end included. */
  served: number;
}

/** Tells the parent (when there is an IPC channel) and waits for its reply. */
function notify(message: object): Promise<void> {
  const send = process.send?.bind(process);
  if (send === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    process.once('message', () => resolve());
    send(message);
  });
}

/**
 * `connections` lanes on one URL for `seconds`; counts (into `tally`, when given) the requests that
 * started and completed inside the window, then waits for the ones still in flight.
 */
async function run(url: URL, seconds: number, tally: Tally | undefined): Promise<void> {
  const start = performance.now();
  const end = start + seconds * 1000;
  const lane = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      let status = 0;
      try {
        status = await get(url);
      } catch {
        status = 0;
      }
      const now = performance.now();
      if (tally === undefined) continue;
      tally.served += 1;
      if (now > end) continue;
      if (status === 200) tally.latencies.push(now - started);
      else tally.errors += 1;
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, lane));
  if (tally !== undefined) tally.ms += end - start;
}

function summary(tally: Tally): LoadResult {
  const latencies = [...tally.latencies].sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(q * latencies.length) - 1))] ?? Number.NaN;
  const seconds = tally.ms / 1000;
  return {
    requests: latencies.length,
    errors: tally.errors,
    seconds,
    rate: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    served: tally.served,
  };
}

const targets: LoadTarget[] = spec.targets ?? [{ name: 'url', url: spec.url ?? '' }];
const slices = spec.targets === undefined ? 1 : (spec.slices ?? 1);
const sliceSeconds = spec.targets === undefined ? (spec.seconds ?? 5) : (spec.sliceSeconds ?? 1);
const urls = targets.map((t) => new URL(t.url));
const tallies: Tally[] = targets.map(() => ({ latencies: [], errors: 0, ms: 0, served: 0 }));

for (const url of urls) await run(url, spec.warmup, undefined);
for (let turn = 0; turn < slices; turn += 1) {
  for (let k = 0; k < urls.length; k += 1) {
    const i = (turn + k) % urls.length;
    const tally = tallies[i]!;
    const servedBefore = tally.served;
    await notify({ slice: 'start', target: targets[i]!.name });
    await run(urls[i]!, sliceSeconds, tally);
    await notify({ slice: 'end', target: targets[i]!.name, served: tally.served - servedBefore });
  }
}
agent.destroy();
process.disconnect?.();

const results = Object.fromEntries(targets.map((t, i) => [t.name, summary(tallies[i]!)]));
process.stdout.write(`${JSON.stringify(spec.targets === undefined ? results['url'] : results)}\n`);

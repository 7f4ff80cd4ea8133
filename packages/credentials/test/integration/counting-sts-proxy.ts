import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny HTTP proxy on 127.0.0.1 in front of the local RGW that counts AssumeRole calls as they
 * cross the wire: every POST whose form body has `Action=AssumeRole`. Requests are forwarded
 * unchanged (Host included: SigV4 signed it), so RGW answers as if called directly.
 */
export interface CountingStsProxy {
  readonly url: string;
  readonly assumeRoleCalls: number;
  close(): Promise<void>;
}

export async function startCountingStsProxy(upstream: string): Promise<CountingStsProxy> {
  const target = new URL(upstream);
  if (target.hostname !== '127.0.0.1') throw new Error(`the counting proxy only forwards to 127.0.0.1, not ${target.hostname}`);
  let assumeRoleCalls = 0;

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (incoming.method === 'POST' && new URLSearchParams(body.toString('utf8')).get('Action') === 'AssumeRole') assumeRoleCalls += 1;
      const forwarded = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers as IncomingHttpHeaders,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', (error) => {
        outgoing.writeHead(502);
        outgoing.end(String(error));
      });
      forwarded.end(body);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get assumeRoleCalls() {
      return assumeRoleCalls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

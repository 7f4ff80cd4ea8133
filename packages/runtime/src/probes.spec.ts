import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { probeRedis, probeS3, probeSts } from './probes.js';

/** A port nothing listens on: bind an ephemeral one, then release it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** Probes against tiny local HTTP servers and closed ports (no real dependency needed). */
describe('probes', () => {
  let server: Server;
  let url: string;
  let reply: { status: number; body: string };

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(reply.status, { 'content-type': 'application/xml' }).end(reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('counts STS as up when an unsigned call gets an AWS error document back', async () => {
    reply = { status: 403, body: '<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>' };
    expect((await probeSts(url)).status).toBe('up');
    reply = { status: 403, body: '<ErrorResponse><Error><Code>MissingAuthenticationToken</Code></Error></ErrorResponse>' };
    expect((await probeSts(url)).status).toBe('up');
  });

  it('counts STS as down when something else answers', async () => {
    reply = { status: 200, body: '<html>hello</html>' };
    const status = await probeSts(url);
    expect(status.status).toBe('down');
    expect(status.error).toContain('without an AWS error document');
  });

  it('counts S3 as down on a 5xx and on a closed port, naming the variable to fix', async () => {
    reply = { status: 503, body: '' };
    expect((await probeS3(url)).error).toMatch(/answered HTTP 503.*S3_ENDPOINT/);
    const port = await closedPort();
    const closed = await probeS3(`http://127.0.0.1:${port}`);
    expect(closed.status).toBe('down');
    expect(closed.error).toBe(
      `S3 endpoint http://127.0.0.1:${port} refused the connection (ECONNREFUSED): start the local stack (infra/local/ceph-up.sh) or fix S3_ENDPOINT`,
    );
  });

  it('reports Redis on a closed port as down with the host and the variable', async () => {
    const port = await closedPort();
    const status = await probeRedis(`redis://127.0.0.1:${port}/0`, 500);
    expect(status.status).toBe('down');
    expect(status.error).toBe(`Redis at 127.0.0.1:${port} refused the connection (ECONNREFUSED): start Redis or fix REDIS_URL`);
  });
});

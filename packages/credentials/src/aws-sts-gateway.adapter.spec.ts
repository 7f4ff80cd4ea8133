import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { StorageErrorCode, isStorageError } from '@isola/tenant-storage';

import { AwsStsGateway } from './aws-sts-gateway.adapter.js';
import type { AssumeRoleInput } from './sts-gateway.port.js';

const ANSWER = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAFAKE1</AccessKeyId>
      <SecretAccessKey>secret-1</SecretAccessKey>
      <SessionToken>token-1</SessionToken>
      <Expiration>2030-01-02T03:04:05Z</Expiration>
    </Credentials>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>AROAFAKE:s</AssumedRoleId></AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</AssumeRoleResponse>`;

/** A stand-in STS on 127.0.0.1 that records each request's form parameters. */
async function fakeSts(status = 200): Promise<{ endpoint: string; requests: URLSearchParams[]; server: Server }> {
  const requests: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests.push(new URLSearchParams(body));
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(status === 200 ? ANSWER : '<Error><Code>AccessDenied</Code><Message>denied</Message></Error>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, requests, server };
}

const input = (endpoint: string, extra: Partial<AssumeRoleInput> = {}): AssumeRoleInput => ({
  roleArn: 'arn:aws:iam::123456789012:role/studio',
  externalId: 'ext-0123456789',
  sessionName: 'isola-verify-acme-run1',
  durationSeconds: 900,
  policyJson: '{"Version":"2012-10-17","Statement":[]}',
  region: 'us-east-1',
  endpoint,
  ...extra,
});

describe('AwsStsGateway', () => {
  const gateway = new AwsStsGateway({ principal: { accessKeyId: 'AKIAPLATFORM', secretAccessKey: 'platform-secret' } });
  const servers: Server[] = [];
  afterAll(async () => {
    gateway.destroy();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('sends the ExternalId with every AssumeRole and returns the credentials', async () => {
    const sts = await fakeSts();
    servers.push(sts.server);
    const credentials = await gateway.assumeRole(input(sts.endpoint));
    expect(credentials).toEqual({
      accessKeyId: 'ASIAFAKE1',
      secretAccessKey: 'secret-1',
      sessionToken: 'token-1',
      expiresAt: new Date('2030-01-02T03:04:05Z'),
    });
    const sent = sts.requests[0]!;
    expect(sent.get('Action')).toBe('AssumeRole');
    expect(sent.get('ExternalId')).toBe('ext-0123456789');
    expect(sent.get('RoleSessionName')).toBe('isola-verify-acme-run1');
    expect(sent.get('DurationSeconds')).toBe('900');
  });

  it('leaves the ExternalId out only when asked to (the connection test’s confused-deputy check)', async () => {
    const sts = await fakeSts();
    servers.push(sts.server);
    await gateway.assumeRole(input(sts.endpoint, { omitExternalId: true }));
    await gateway.assumeRole(input(sts.endpoint, { omitExternalId: false }));
    expect(sts.requests.map((sent) => sent.has('ExternalId'))).toEqual([false, true]);
    expect(sts.requests[0]!.get('RoleArn')).toBe('arn:aws:iam::123456789012:role/studio');
  });

  it('reports a refused AssumeRole as STORAGE_ACCESS_REVOKED', async () => {
    const sts = await fakeSts(403);
    servers.push(sts.server);
    const error: unknown = await gateway.assumeRole(input(sts.endpoint, { omitExternalId: true })).catch((e: unknown) => e);
    expect(isStorageError(error) && error.code).toBe(StorageErrorCode.STORAGE_ACCESS_REVOKED);
  });
});

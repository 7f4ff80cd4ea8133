import type { ConnectionTestStepId } from '@isola/contracts';
import { InMemoryStsGateway, RecordingCredentialEvents, StsCredentialBroker, stsError, type AssumeRoleInput } from '@isola/credentials';
import { ManualClock } from '@isola/runtime';
import { StorageError, StorageErrorCode, type StorageTargetRef } from '@isola/tenant-storage';
import { connectionTestSteps } from './connection-test-steps.js';
import { runConnectionTest, type ConnectionTestRun } from './run-connection-test.js';
import { FakeBucketInspector, FakeObjectStore, FakeObjectStoreFactory, denied } from './testing/fake-storage.js';
import type { VerifyRun } from './verify-run.js';

const AWS_TARGET: StorageTargetRef = {
  id: '7a0c3a2e-4d5e-4f60-8a1b-2c3d4e5f6a7b',
  tenantId: '1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d',
  mode: 'isolated',
  provider: 'aws',
  region: 'eu-west-3',
  bucket: 'acme-media',
  prefix: 'isola',
  roleArn: 'arn:aws:iam::123456789012:role/IsolaAccess',
  externalId: 'ext-acme-0001',
};
const RGW_TARGET: StorageTargetRef = {
  ...AWS_TARGET,
  provider: 's3_compatible',
  endpoint: 'http://127.0.0.1:7480',
  region: 'us-east-1',
  roleArn: 'arn:aws:iam:::role/acme-access',
};
const TLS_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::acme-media', 'arn:aws:s3:::acme-media/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});

/** STS that, like AWS with the setup kit's trust policy, refuses an AssumeRole without the ExternalId. */
class GuardedSts extends InMemoryStsGateway {
  guarded = true;
  override async assumeRole(input: AssumeRoleInput) {
    if (this.guarded && input.omitExternalId === true) {
      this.calls.push(input);
      throw stsError(403);
    }
    return super.assumeRole(input);
  }
}

function setUp(target: StorageTargetRef = AWS_TARGET, options: { deleteObjectsEnabled?: boolean } = {}) {
  const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
  const sts = new GuardedSts(clock);
  const broker = new StsCredentialBroker(sts, clock, new RecordingCredentialEvents(), { sleep: async () => undefined });
  const store = new FakeObjectStore();
  const inspector = new FakeBucketInspector();
  inspector.location = target.provider === 'aws' ? target.region : 'default';
  inspector.policy = TLS_ONLY;
  const steps = connectionTestSteps({ broker, sts, stores: new FakeObjectStoreFactory(store), inspector });
  const run: VerifyRun = {
    target,
    runId: 'run-1',
    context: { tenantSlug: 'acme', correlationId: 'run-1' },
    deleteObjectsEnabled: options.deleteObjectsEnabled ?? false,
    webOrigins: ['https://app.isola.example'],
    stsEndpoint: target.endpoint,
    platformPrincipalArn: 'arn:aws:iam::999999999999:user/isola-api',
    probeKeys: [],
    leftObjects: [],
  };
  const execute = () => runConnectionTest(steps, run, clock);
  return { clock, sts, store, inspector, run, execute };
}

const outcomes = (result: ConnectionTestRun) => Object.fromEntries(result.steps.map((s) => [s.id, s.outcome]));
const step = (result: ConnectionTestRun, id: ConnectionTestStepId) => result.steps.find((s) => s.id === id)!;

describe('connection test steps (fakes)', () => {
  it('passes every step on a well set-up AWS target, each a real call through the ports', async () => {
    const { sts, store, inspector, run, execute } = setUp();
    const result = await execute();
    expect(outcomes(result)).toEqual({
      'assume-role': 'pass',
      'external-id-guard': 'pass',
      bucket: 'pass',
      'object-roundtrip': 'pass',
      multipart: 'pass',
      cors: 'pass',
      encryption: 'pass',
      'tls-only': 'pass',
    });
    expect(result.ok).toBe(true);
    // AssumeRole twice: with the ExternalId (broker), then without it (gateway)
    expect(sts.calls.map((c) => [c.externalId, c.omitExternalId ?? false])).toEqual([
      ['ext-acme-0001', false],
      ['ext-acme-0001', true],
    ]);
    expect(sts.calls[1]?.sessionName).toBe('isola-verify-acme-run-1-no-external-id');
    expect(JSON.parse(sts.calls[1]!.policyJson)).toEqual(JSON.parse(sts.calls[0]!.policyJson));
    expect(store.calls).toEqual([
      'PutObject isola/.isola-probe/run-1.txt',
      'PutObjectTagging isola/.isola-probe/run-1.txt',
      'GetObject isola/.isola-probe/run-1.txt',
      'DeleteObject isola/.isola-probe/run-1.txt',
      'CreateMultipartUpload isola/.isola-probe/run-1-multipart.bin',
      'AbortMultipartUpload isola/.isola-probe/run-1-multipart.bin',
    ]);
    expect(store.objects.size).toBe(0);
    expect(store.openUploads.size).toBe(0);
    expect(run.probeKeys).toEqual(['isola/.isola-probe/run-1.txt', 'isola/.isola-probe/run-1-multipart.bin']);
    expect(inspector.preflights).toEqual([{ origin: 'https://app.isola.example', method: 'PUT' }]);
    expect(step(result, 'encryption').detail).toContain('AES256');
  });

  it('on the local RGW: the three documented warnings, and nothing else', async () => {
    const { sts, inspector, execute } = setUp(RGW_TARGET);
    sts.guarded = false; // RGW 16 cannot evaluate sts:ExternalId
    inspector.encryption = denied('GetBucketEncryption');
    const result = await execute();
    expect(outcomes(result)).toEqual({
      'assume-role': 'pass',
      'external-id-guard': 'warn',
      bucket: 'pass',
      'object-roundtrip': 'pass',
      multipart: 'pass',
      cors: 'pass',
      encryption: 'warn',
      'tls-only': 'warn',
    });
    expect(result.ok).toBe(true);
    expect(step(result, 'external-id-guard').hint).toMatch(/^Add the condition \{"StringEquals": \{"sts:ExternalId"/);
    expect(step(result, 'tls-only').detail).toMatch(
      /^The bucket policy has the TLS-only Deny, but the endpoint http:\/\/127\.0\.0\.1:7480 is plain HTTP/,
    );
  });

  it('assume-role refused: the trust-policy hint, every later step skipped, nothing else called', async () => {
    const { sts, store, inspector, execute } = setUp();
    sts.denyAll(stsError(403));
    const result = await execute();
    expect(step(result, 'assume-role')).toMatchObject({ outcome: 'fail' });
    expect(step(result, 'assume-role').hint).toContain(
      "allows sts:AssumeRole for Isola's platform principal arn:aws:iam::999999999999:user/isola-api",
    );
    expect(result.steps.slice(1).map((s) => s.outcome)).toEqual(Array(7).fill('skipped'));
    expect(step(result, 'bucket').detail).toBe('Not run: "Assume the role with the ExternalId" failed.');
    expect(step(result, 'cors').detail).toBe('Not run: "Bucket exists in the target\'s region" was skipped.');
    expect(sts.calls).toHaveLength(1);
    expect(store.calls).toEqual([]);
    expect(inspector.opened + inspector.preflights.length).toBe(0);
  });

  it('a missing role gets its own hint', async () => {
    const { sts, execute } = setUp();
    sts.denyAll(stsError(404, 'NoSuchEntity'));
    const result = await execute();
    expect(step(result, 'assume-role').hint).toMatch(/^No role arn:aws:iam::123456789012:role\/IsolaAccess exists/);
  });

  it('a bucket in another region fails with the region to configure', async () => {
    const { inspector, execute } = setUp();
    inspector.location = 'EU';
    const result = await execute();
    expect(step(result, 'bucket')).toMatchObject({
      outcome: 'fail',
      detail: 'The bucket is in eu-west-1, but the target is configured for eu-west-3.',
      hint: "Set the target's region to eu-west-1 (the bucket's region), or use a bucket in the configured region.",
    });
    expect(step(result, 'object-roundtrip').outcome).toBe('skipped');
  });

  it('a refused GetBucketLocation names the action and the bucket ARN', async () => {
    const { inspector, execute } = setUp();
    inspector.location = denied('GetBucketLocation');
    const result = await execute();
    expect(step(result, 'bucket').hint).toMatch(/^The role has no s3:GetBucketLocation on arn:aws:s3:::acme-media: /);
  });

  it('a refused delete without the studio’s opt-in: warning, the tiny probe object is left', async () => {
    const { store, run, execute } = setUp();
    store.deny.add('DeleteObject');
    const result = await execute();
    expect(step(result, 'object-roundtrip').outcome).toBe('warn');
    expect(step(result, 'object-roundtrip').detail).toMatch(/deleting it was refused, as expected when deletes are not enabled/);
    expect(result.ok).toBe(true);
    expect([...store.objects.keys()]).toEqual(['isola/.isola-probe/run-1.txt']);
    expect(run.leftObjects).toEqual(['isola/.isola-probe/run-1.txt']);
  });

  it('a refused delete although the studio opted in: failure naming s3:DeleteObject', async () => {
    const { store, execute } = setUp(AWS_TARGET, { deleteObjectsEnabled: true });
    store.deny.add('DeleteObject');
    const result = await execute();
    expect(step(result, 'object-roundtrip')).toMatchObject({ outcome: 'fail' });
    expect(step(result, 'object-roundtrip').hint).toMatch(
      /^The role has no s3:DeleteObject on arn:aws:s3:::acme-media\/isola\/\.isola-probe\/\*/,
    );
  });

  it('tags the probe as uploads tag sources; a refused tagging fails naming s3:PutObjectTagging and still cleans up', async () => {
    const passing = setUp(AWS_TARGET, { deleteObjectsEnabled: true });
    await passing.execute();
    expect(passing.store.calls.filter((c) => c.startsWith('PutObjectTagging'))).toHaveLength(1);

    const { store, execute } = setUp(AWS_TARGET, { deleteObjectsEnabled: true });
    store.deny.add('PutObjectTagging');
    const result = await execute();
    expect(step(result, 'object-roundtrip')).toMatchObject({ outcome: 'fail' });
    expect(step(result, 'object-roundtrip').hint).toContain('s3:PutObjectTagging');
    expect(step(result, 'object-roundtrip').detail).toMatch(/a migration into this bucket fails without it/);
    expect(store.objects.size).toBe(0);
    expect(result.ok).toBe(false);
  });

  it('a refused read still deletes the probe, and names s3:GetObject', async () => {
    const { store, execute } = setUp();
    store.deny.add('GetObject');
    const result = await execute();
    expect(step(result, 'object-roundtrip').hint).toContain('s3:GetObject');
    expect(store.calls).toContain('DeleteObject isola/.isola-probe/run-1.txt');
    expect(store.objects.size).toBe(0);
  });

  it('bytes read back that differ fail the object step', async () => {
    const { store, execute } = setUp();
    store.corruptReads = true;
    const result = await execute();
    expect(step(result, 'object-roundtrip')).toMatchObject({ outcome: 'fail' });
    expect(step(result, 'object-roundtrip').detail).toMatch(/^Read back 14 bytes/);
  });

  it('an abort refused: failure naming s3:AbortMultipartUpload', async () => {
    const { store, execute } = setUp();
    store.deny.add('AbortMultipartUpload');
    const result = await execute();
    expect(step(result, 'multipart').hint).toContain('s3:AbortMultipartUpload');
    expect(step(result, 'multipart').detail).toMatch(/stays open until the bucket's lifecycle rule aborts it/);
  });

  it('CORS without ETag exposed fails with the setup kit’s rule', async () => {
    const { inspector, execute } = setUp();
    inspector.preflight = { status: 200, allowOrigin: null, allowMethods: ['PUT'], exposeHeaders: [] };
    const result = await execute();
    expect(step(result, 'cors')).toMatchObject({ outcome: 'fail' });
    expect(step(result, 'cors').detail).toContain('ETag is not exposed to https://app.isola.example');
    expect(step(result, 'cors').hint).toContain('AllowedOrigins ["https://app.isola.example"]');
  });

  it('AWS without default encryption or TLS-only policy fails both; S3-compatible only warns about encryption', async () => {
    const aws = setUp();
    aws.inspector.encryption = [];
    aws.inspector.policy = null;
    const awsResult = await aws.execute();
    expect(step(awsResult, 'encryption')).toMatchObject({ outcome: 'fail', hint: expect.stringMatching(/^Turn on default encryption/) });
    expect(step(awsResult, 'tls-only')).toMatchObject({ outcome: 'fail', hint: expect.stringContaining('"aws:SecureTransport":"false"') });

    const compatible = setUp({ ...RGW_TARGET, endpoint: 'https://s3.studio.example' });
    compatible.inspector.encryption = [];
    const compatibleResult = await compatible.execute();
    expect(step(compatibleResult, 'encryption')).toMatchObject({ outcome: 'warn' });
    expect(step(compatibleResult, 'tls-only')).toMatchObject({ outcome: 'pass' });
  });

  it('refused bucket-policy and encryption reads on AWS name their actions', async () => {
    const { inspector, execute } = setUp();
    inspector.encryption = denied('GetBucketEncryption');
    inspector.policy = denied('GetBucketPolicy');
    const result = await execute();
    expect(step(result, 'encryption').hint).toMatch(/^The role has no s3:GetEncryptionConfiguration on arn:aws:s3:::acme-media/);
    expect(step(result, 'tls-only').hint).toMatch(/^The role has no s3:GetBucketPolicy on arn:aws:s3:::acme-media/);
  });

  it('a transient failure says to try again', async () => {
    const { inspector, execute } = setUp();
    inspector.location = new StorageError(StorageErrorCode.STORAGE_UNAVAILABLE, 'The storage service could not be reached (ECONNREFUSED).');
    const result = await execute();
    expect(step(result, 'bucket')).toMatchObject({ outcome: 'fail', detail: 'The storage service could not be reached (ECONNREFUSED).' });
    expect(step(result, 'bucket').hint).toMatch(/^The storage service did not answer properly: run the test again/);
  });
});

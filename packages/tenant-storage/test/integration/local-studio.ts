import { randomUUID } from 'node:crypto';

import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { LocalStackAdmin, createTestStudio, loadLocalEnv, type LocalStackEnv, type TestStudio } from '@isola/local-stack';

import type { StorageTargetRef } from '../../src/storage-target.js';
import type { TemporaryCredentials } from '../../src/temporary-credentials.js';

/** One throwaway studio on the local RGW, and temporary credentials for it from the API principal. */
export interface LocalStudio {
  env: LocalStackEnv;
  admin: LocalStackAdmin;
  studio: TestStudio;
  target: StorageTargetRef;
  /** AssumeRole on the studio's role, optionally narrowed by a session policy. */
  assume(policy?: object): Promise<TemporaryCredentials>;
  close(): Promise<void>;
}

export async function openLocalStudio(label: string, prefix = 'studio'): Promise<LocalStudio> {
  const env = loadLocalEnv();
  const admin = new LocalStackAdmin(env);
  await admin.waitUntilReady(10_000);
  const studio = await createTestStudio(admin, { label });
  const sts = new STSClient({
    endpoint: env.endpoint,
    region: env.region,
    credentials: { accessKeyId: env.api.accessKeyId, secretAccessKey: env.api.secretAccessKey },
    maxAttempts: 1,
  });
  const target: StorageTargetRef = {
    id: randomUUID(),
    tenantId: randomUUID(),
    mode: 'isolated',
    provider: 's3_compatible',
    endpoint: env.endpoint,
    region: env.region,
    bucket: studio.bucket,
    prefix,
    roleArn: studio.roleArn,
    externalId: randomUUID(),
  };
  return {
    env,
    admin,
    studio,
    target,
    async assume(policy?: object): Promise<TemporaryCredentials> {
      const { Credentials: c } = await sts.send(
        new AssumeRoleCommand({
          RoleArn: studio.roleArn,
          RoleSessionName: `isola-test-${label}`.slice(0, 64),
          ExternalId: target.externalId,
          DurationSeconds: 900,
          ...(policy === undefined ? {} : { Policy: JSON.stringify(policy) }),
        }),
      );
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error('AssumeRole returned no credentials');
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiresAt: c.Expiration };
    },
    async close(): Promise<void> {
      sts.destroy();
      await studio.destroy();
      admin.destroy();
    },
  };
}

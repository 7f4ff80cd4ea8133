import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

import type { LocalStackEnv, TestStudio } from '@isola/local-stack';
import { StorageError, type ObjectStore, type ObjectStoreFactory, type StorageTargetRef } from '@isola/tenant-storage';

/** A storage target on the local RGW for a test studio (the hosted role and bucket, or a studio's own). */
export function localTarget(env: LocalStackEnv, studio: TestStudio, mode: StorageTargetRef['mode'], prefix: string): StorageTargetRef {
  return {
    id: randomUUID(),
    tenantId: randomUUID(),
    mode,
    provider: 's3_compatible',
    endpoint: env.endpoint,
    region: env.region,
    bucket: studio.bucket,
    prefix,
    roleArn: studio.roleArn,
    externalId: randomUUID(),
  };
}

/**
 * Writes objects with the local admin identity (allowed everything by the studio bucket policy),
 * through the S3 adapter: this package does not depend on the SDK's S3 client itself.
 */
export async function putObjects(
  env: LocalStackEnv,
  stores: ObjectStoreFactory,
  studio: TestStudio,
  objects: Record<string, string>,
): Promise<void> {
  const admin = stores.forCredentials(localTarget(env, studio, 'isolated', ''), {
    accessKeyId: env.admin.accessKeyId,
    secretAccessKey: env.admin.secretAccessKey,
    sessionToken: '', // static keys: no session token is sent
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  for (const [key, body] of Object.entries(objects)) await admin.putObject({ key, body, contentType: 'text/plain' });
}

/** What S3 says to a read made through `store`: the body, or the domain error code. */
export async function readAs(store: ObjectStore, key: string): Promise<string> {
  try {
    const object = await store.getObject(key);
    const chunks: Buffer[] = [];
    for await (const chunk of Readable.from(object.body)) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof StorageError) return error.code;
    throw error;
  }
}

/** What S3 says to a write made through `store`: `ok` or the domain error code. */
export async function writeAs(store: ObjectStore, key: string): Promise<string> {
  try {
    await store.putObject({ key, body: 'written by a test', contentType: 'text/plain' });
    return 'ok';
  } catch (error) {
    if (error instanceof StorageError) return error.code;
    throw error;
  }
}

import type { Readable } from 'node:stream';
import { StorageErrorCode, isStorageError, probeKey, type ObjectStore, type ObjectTags, type StorageError } from '@isola/tenant-storage';
import { missingObjectPermission, tryAgainHint } from './fix-hints.js';
import type { ConnectionTestStepDefinition, StepOutcome } from './run-connection-test.js';
import { credentialsOf, type VerifyPorts, type VerifyRun } from './verify-run.js';

/** Tagged like a source is after its upload (the lifecycle rule moving sources to STANDARD_IA matches that tag). */
const PROBE_TAGS: ObjectTags = { 'isola-object-kind': 'probe' };

/** Probe objects are a few dozen bytes; anything longer read back is wrong anyway. */
const MAX_PROBE_BYTES = 64 * 1024;

function storeOf(run: VerifyRun, { stores }: VerifyPorts): ObjectStore {
  run.store ??= stores.forCredentials(run.target, credentialsOf(run));
  return run.store;
}

/**
 * 4. Put a probe object under `<prefix>/.isola-probe/`, tag it (as uploads tag their sources), read it
 * back (bytes compared), delete it.
 * A refused delete is a warning when the studio did not opt in to deletes (its role need not allow
 * them): the object stays — one tiny object per run, only ever in the probe prefix.
 */
export function objectRoundTripStep(ports: VerifyPorts): ConnectionTestStepDefinition<VerifyRun> {
  return {
    id: 'object-roundtrip',
    title: 'Write, read back and delete a probe object',
    needs: ['bucket'],
    async run(run) {
      const { target } = run;
      const store = storeOf(run, ports);
      const key = probeKey(target.prefix, `${run.runId}.txt`);
      const body = Buffer.from(`Isola connection test ${run.runId}: this object may be deleted.\n`, 'utf8');
      run.probeKeys.push(key);

      try {
        await store.putObject({ key, body, contentType: 'text/plain; charset=utf-8' });
      } catch (error) {
        return refused(run, error, 'PutObject', 's3:PutObject', key);
      }

      let tagError: unknown;
      try {
        await store.putObjectTagging({ key, tags: PROBE_TAGS });
      } catch (error) {
        tagError = error;
      }

      let readBack: Buffer | undefined;
      let readError: unknown;
      try {
        readBack = await readAll((await store.getObject(key)).body);
      } catch (error) {
        readError = error;
      }
      const deleted = await deleteProbe(store, key);
      if (readError !== undefined) return refused(run, readError, 'GetObject', 's3:GetObject', key);
      if (tagError !== undefined) {
        const outcome = refused(run, tagError, 'PutObjectTagging', 's3:PutObjectTagging', key);
        return {
          ...outcome,
          detail: `${outcome.detail} Isola tags every uploaded source (the lifecycle rule that moves sources to STANDARD_IA matches the tag), and a migration into this bucket fails without it.`,
        };
      }
      if (readBack === undefined || !readBack.equals(body)) {
        return {
          outcome: 'fail',
          detail: `Read back ${readBack?.length ?? 0} bytes from ${key}, not the ${body.length} bytes written.`,
          hint: 'Something between Isola and the bucket changes objects (a proxy, or a lifecycle or replication rule on the probe prefix): objects must be stored as written.',
        };
      }

      const wrote = `Wrote, tagged, read back (${body.length} bytes, identical)`;
      if (deleted === true) return { outcome: 'pass', detail: `${wrote} and deleted ${key}.` };
      if (deleted === 'denied' && !run.deleteObjectsEnabled) {
        run.leftObjects.push(key);
        return {
          outcome: 'warn',
          detail:
            `${wrote} ${key}; deleting it was refused, as expected when deletes are not enabled, so it was left there. ` +
            `The probe prefix only ever holds these tiny objects (${body.length} bytes per test run).`,
          hint: 'Nothing to fix. To let Isola clean up after itself (and delete media you delete), enable deletes in the storage settings and allow s3:DeleteObject in the role (setup kit).',
        };
      }
      if (deleted === 'denied') {
        run.leftObjects.push(key);
        return {
          outcome: 'fail',
          detail: `${wrote} ${key}, but deleting it was refused although deletes are enabled for this studio.`,
          hint: missingObjectPermission(target, 's3:DeleteObject'),
        };
      }
      return describeError(run, deleted, 'DeleteObject', 's3:DeleteObject', key);
    },
  };
}

/** 5. CreateMultipartUpload + AbortMultipartUpload under the probe prefix (every browser upload is multipart). */
export function multipartStep(ports: VerifyPorts): ConnectionTestStepDefinition<VerifyRun> {
  return {
    id: 'multipart',
    title: 'Start and abort a multipart upload',
    needs: ['bucket'],
    async run(run) {
      const store = storeOf(run, ports);
      const key = probeKey(run.target.prefix, `${run.runId}-multipart.bin`);
      run.probeKeys.push(key);
      let uploadId: string;
      try {
        ({ uploadId } = await store.createMultipartUpload({ key, contentType: 'application/octet-stream' }));
      } catch (error) {
        return refused(run, error, 'CreateMultipartUpload', 's3:PutObject', key);
      }
      try {
        await store.abortMultipartUpload({ key, uploadId });
      } catch (error) {
        const outcome = refused(run, error, 'AbortMultipartUpload', 's3:AbortMultipartUpload', key);
        return { ...outcome, detail: `${outcome.detail} The upload stays open until the bucket's lifecycle rule aborts it.` };
      }
      return { outcome: 'pass', detail: `Started a multipart upload of ${key} and aborted it.` };
    },
  };
}

/** true, 'denied', or the other error. */
async function deleteProbe(store: ObjectStore, key: string): Promise<true | 'denied' | StorageError> {
  try {
    await store.deleteObject(key);
    return true;
  } catch (error) {
    if (!isStorageError(error)) throw error;
    return error.code === StorageErrorCode.PERMISSION_DENIED ? 'denied' : error;
  }
}

function refused(run: VerifyRun, error: unknown, operation: string, action: string, key: string): StepOutcome {
  if (!isStorageError(error)) throw error;
  return describeError(run, error, operation, action, key);
}

function describeError(run: VerifyRun, error: StorageError, operation: string, action: string, key: string): StepOutcome {
  if (error.code === StorageErrorCode.PERMISSION_DENIED) {
    return { outcome: 'fail', detail: `${operation} of ${key} was denied.`, hint: missingObjectPermission(run.target, action) };
  }
  return {
    outcome: 'fail',
    detail: `${operation} of ${key} failed: ${error.message}`,
    hint: error.retryable ? tryAgainHint(run.target) : 'Check the target’s bucket, region and endpoint.',
  };
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += bytes.length;
    if (size > MAX_PROBE_BYTES) {
      body.destroy();
      break;
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

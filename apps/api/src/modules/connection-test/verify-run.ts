import type { CredentialBroker, CredentialRequestContext, ScopedCredentials, StsGateway } from '@isola/credentials';
import type { ObjectStore, ObjectStoreFactory, StorageTargetRef } from '@isola/tenant-storage';
import type { BucketInspector, BucketReads } from './bucket-inspector.port.js';

/** The ports the steps call: every side effect of the connection test goes through one of these. */
export interface VerifyPorts {
  broker: CredentialBroker;
  /** The API's STS gateway (platform principal), for the AssumeRole without ExternalId. */
  sts: StsGateway;
  stores: ObjectStoreFactory;
  inspector: BucketInspector;
}

/** What the steps know about this run, and what they hand to each other. */
export interface VerifyRun {
  readonly target: StorageTargetRef;
  /** A fresh id per run: probe object names and the role session names. */
  readonly runId: string;
  readonly context: CredentialRequestContext;
  /** The tenant opted in to deletes (then the role must allow s3:DeleteObject). */
  readonly deleteObjectsEnabled: boolean;
  /** The web app's origins (API config WEB_ORIGINS): browsers upload from these. */
  readonly webOrigins: readonly string[];
  /** The STS endpoint for the target, as the broker uses it (undefined: the SDK's AWS endpoint). */
  readonly stsEndpoint: string | undefined;
  /** The API's platform principal, named in hints (the role must trust it). */
  readonly platformPrincipalArn: string;
  /** The `verify` credential (set by the assume-role step). */
  credentials?: ScopedCredentials;
  /** RoleSessionName of the AssumeRole without ExternalId, when it was accepted. */
  guardSessionName?: string;
  /** Probe object keys the run wrote or tried to (audit). */
  readonly probeKeys: string[];
  /** Probe objects left in the bucket (their delete was refused). */
  readonly leftObjects: string[];
  store?: ObjectStore;
  bucket?: BucketReads;
}

/** The verify credential; only called by steps that need the assume-role step. */
export function credentialsOf(run: VerifyRun): ScopedCredentials {
  if (run.credentials === undefined) throw new Error('connection test: step ran without the verify credential');
  return run.credentials;
}

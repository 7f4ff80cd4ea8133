import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { StorageError, StorageErrorCode, awsErrorInfoFrom, storageErrorFromAws } from '@isola/tenant-storage';

import { StsGateway, type AssumeRoleInput, type AssumedRoleCredentials } from './sts-gateway.port.js';

/** A platform principal's static keys: the only static keys Isola holds (one per app). */
export interface PlatformPrincipalKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface AwsStsGatewayOptions {
  /** The API's or the worker's principal. */
  principal: PlatformPrincipalKeys;
  /** Per-call timeout for the connection and the response, in ms (default 10 s). */
  requestTimeoutMs?: number;
}

/**
 * `StsGateway` over the AWS SDK (AWS STS or an S3-compatible service's STS, e.g. Ceph RGW). One
 * `STSClient` per distinct (endpoint, region) — created on first use and reused, never per call —
 * all signing with this gateway's platform principal. The SDK makes a single attempt: the broker
 * retries (throttling and 5xx only) and counts AssumeRole calls per revocation backoff step.
 *
 * Errors are translated by HTTP status when the provider's body means nothing to the SDK (RGW's STS
 * errors arrive as `Unknown`/`NotFound`): 403 and 404 → STORAGE_ACCESS_REVOKED.
 */
export class AwsStsGateway extends StsGateway {
  private readonly clients = new Map<string, STSClient>();

  constructor(private readonly options: AwsStsGatewayOptions) {
    super();
  }

  async assumeRole(input: AssumeRoleInput): Promise<AssumedRoleCredentials> {
    const client = this.clientFor(input.endpoint, input.region);
    let output;
    try {
      output = await client.send(
        new AssumeRoleCommand({
          RoleArn: input.roleArn,
          RoleSessionName: input.sessionName,
          ...(input.omitExternalId === true ? {} : { ExternalId: input.externalId }),
          DurationSeconds: input.durationSeconds,
          Policy: input.policyJson,
        }),
      );
    } catch (error) {
      throw storageErrorFromAws(awsErrorInfoFrom(error, 'sts', 'AssumeRole'), input.targetId ? { targetId: input.targetId } : {}, error);
    }
    const credentials = output.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !credentials.Expiration) {
      throw new StorageError(StorageErrorCode.STORAGE_UNAVAILABLE, 'STS answered AssumeRole without credentials.', {
        retryable: false,
        details: { service: 'sts', operation: 'AssumeRole', ...(input.targetId ? { targetId: input.targetId } : {}) },
      });
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiresAt: credentials.Expiration,
    };
  }

  /** Clients made so far (one per distinct endpoint and region). */
  get clientCount(): number {
    return this.clients.size;
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private clientFor(endpoint: string | undefined, region: string): STSClient {
    const key = JSON.stringify([endpoint ?? null, region]);
    let client = this.clients.get(key);
    if (client === undefined) {
      const timeout = this.options.requestTimeoutMs ?? 10_000;
      client = new STSClient({
        region,
        ...(endpoint === undefined ? {} : { endpoint }),
        credentials: { accessKeyId: this.options.principal.accessKeyId, secretAccessKey: this.options.principal.secretAccessKey },
        maxAttempts: 1,
        requestHandler: { connectionTimeout: timeout, requestTimeout: timeout },
      });
      this.clients.set(key, client);
    }
    return client;
  }
}

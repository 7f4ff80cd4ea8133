/** One AssumeRole call, in domain terms. */
export interface AssumeRoleInput {
  roleArn: string;
  /** Always sent (AWS enforces it; Ceph RGW accepts and ignores it) — unless `omitExternalId`. */
  externalId: string;
  /**
   * Leaves the ExternalId out of the call. Only for the connection test's confused-deputy check (a
   * role that trusts Isola must refuse an AssumeRole without it); never for credentials Isola uses.
   */
  omitExternalId?: boolean;
  sessionName: string;
  durationSeconds: number;
  /** The inline session policy (compact JSON, see `buildSessionPolicy`). */
  policyJson: string;
  region: string;
  /** STS endpoint origin; absent → the provider's regional AWS endpoint. */
  endpoint?: string;
  /** For error details only. */
  targetId?: string;
}

export interface AssumedRoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** STS's expiry. */
  expiresAt: Date;
}

/**
 * STS as the broker needs it. Adapters throw `StorageError` (from `classifyAwsError`): a denial is
 * STORAGE_ACCESS_REVOKED, throttling STORAGE_THROTTLED, 5xx/network STORAGE_UNAVAILABLE. They make
 * one attempt: retrying is the broker's decision.
 */
export abstract class StsGateway {
  abstract assumeRole(input: AssumeRoleInput): Promise<AssumedRoleCredentials>;
}

/**
 * A temporary credential (from STS AssumeRole) as the storage adapters use it. Secret: never log it,
 * never put it in an error, an event or a job payload.
 */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /**
   * When the credential stops being usable: its STS expiry, or an earlier instant its session policy
   * imposes (a transcode grant). Nothing signed with it may outlive this.
   */
  readonly expiresAt: Date;
}

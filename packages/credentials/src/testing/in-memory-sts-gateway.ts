import type { Clock } from '@isola/runtime';
import { storageErrorFromAws, type StorageError } from '@isola/tenant-storage';

import { StsGateway, type AssumeRoleInput, type AssumedRoleCredentials } from '../sts-gateway.port.js';

/** A StorageError as the AWS adapter makes it from an STS answer with this HTTP status. */
export function stsError(httpStatus: number, name = 'Unknown'): StorageError {
  return storageErrorFromAws({ name, httpStatus, service: 'sts', operation: 'AssumeRole' });
}

/**
 * STS in memory, for tests: records every call, issues numbered credentials that expire after the
 * requested duration (by the injected clock), and fails on demand — once (`failNext`) or until
 * told otherwise (`denyAll`, as a deleted role would). `hold()` parks answers until released, to
 * observe concurrent callers.
 */
export class InMemoryStsGateway extends StsGateway {
  readonly calls: AssumeRoleInput[] = [];
  private readonly queued: StorageError[] = [];
  private standing: StorageError | undefined;
  private held: Promise<void> | undefined;
  private issued = 0;

  constructor(private readonly clock: Clock) {
    super();
  }

  async assumeRole(input: AssumeRoleInput): Promise<AssumedRoleCredentials> {
    this.calls.push(input);
    const failure = this.queued.shift() ?? this.standing;
    if (this.held !== undefined) await this.held;
    if (failure !== undefined) throw failure;
    this.issued += 1;
    return {
      accessKeyId: `ASIAFAKE${this.issued}`,
      secretAccessKey: `secret-${this.issued}`,
      sessionToken: `token-${this.issued}`,
      expiresAt: new Date(this.clock.now().getTime() + input.durationSeconds * 1000),
    };
  }

  /** The next calls fail with these errors, in order. */
  failNext(...errors: StorageError[]): void {
    this.queued.push(...errors);
  }

  /** Every call fails with `error` until `allowAll()` (e.g. a deleted role: `stsError(404, 'NotFound')`). */
  denyAll(error: StorageError = stsError(404, 'NotFound')): void {
    this.standing = error;
  }

  allowAll(): void {
    this.standing = undefined;
  }

  /** Calls made from now on wait until the returned function is called (a later `hold` starts a new gate). */
  hold(): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.held = gate;
    return () => {
      if (this.held === gate) this.held = undefined;
      release();
    };
  }
}

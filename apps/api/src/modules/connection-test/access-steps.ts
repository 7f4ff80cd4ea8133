import { buildRoleSessionName, buildSessionPolicy } from '@isola/credentials';
import { StorageErrorCode, isStorageError } from '@isola/tenant-storage';
import { assumeRefusedHint, externalIdGuardHint, tryAgainHint } from './fix-hints.js';
import type { ConnectionTestStepDefinition } from './run-connection-test.js';
import type { VerifyPorts, VerifyRun } from './verify-run.js';

/** STS's shortest session; the guard's credential is never used. */
const GUARD_SESSION_SECONDS = 900;

/** 1. AssumeRole with the ExternalId, through the broker (uncached for `verify`), as every purpose does. */
export function assumeRoleStep({ broker }: VerifyPorts): ConnectionTestStepDefinition<VerifyRun> {
  return {
    id: 'assume-role',
    title: 'Assume the role with the ExternalId',
    needs: [],
    async run(run) {
      const { target } = run;
      try {
        run.credentials = await broker.getCredentials(target, { purpose: 'verify' }, run.context);
      } catch (error) {
        if (!isStorageError(error)) throw error;
        const refused = error.code === StorageErrorCode.STORAGE_ACCESS_REVOKED;
        return {
          outcome: 'fail',
          detail: `AssumeRole on ${target.roleArn} failed: ${error.message}`,
          hint: refused
            ? assumeRefusedHint(target, run.platformPrincipalArn, error.details.httpStatus)
            : error.retryable
              ? tryAgainHint(target)
              : `Check the target's role ARN (${target.roleArn}) and region, and that the role's maximum session duration is at least 1 hour.`,
        };
      }
      return {
        outcome: 'pass',
        detail: `Assumed ${target.roleArn} as session ${run.credentials.sessionName} (credential valid until ${run.credentials.expiresAt.toISOString()}).`,
      };
    },
  };
}

/**
 * 2. The same AssumeRole WITHOUT the ExternalId must be refused: otherwise the role's trust policy
 * lacks the `sts:ExternalId` condition, and Isola can be made a confused deputy. Made with the
 * platform principal through the STS gateway (the broker always sends the ExternalId).
 */
export function externalIdGuardStep({ sts }: VerifyPorts): ConnectionTestStepDefinition<VerifyRun> {
  return {
    id: 'external-id-guard',
    title: 'Refuse the role without the ExternalId',
    needs: ['assume-role'],
    async run(run) {
      const { target } = run;
      const sessionName = buildRoleSessionName({
        purpose: 'verify',
        tenantId: target.tenantId,
        ...(run.context.tenantSlug === undefined ? {} : { tenantSlug: run.context.tenantSlug }),
        id: `${run.runId}-no-external-id`,
      });
      try {
        await sts.assumeRole({
          roleArn: target.roleArn,
          externalId: target.externalId,
          omitExternalId: true,
          sessionName,
          durationSeconds: GUARD_SESSION_SECONDS,
          policyJson: buildSessionPolicy(target, { purpose: 'verify' }).json,
          region: target.region,
          ...(run.stsEndpoint === undefined ? {} : { endpoint: run.stsEndpoint }),
          targetId: target.id,
        });
      } catch (error) {
        if (!isStorageError(error)) throw error;
        if (error.code === StorageErrorCode.STORAGE_ACCESS_REVOKED) {
          return {
            outcome: 'pass',
            detail: 'AssumeRole without the ExternalId was refused: the role trusts Isola only with this target’s ExternalId.',
          };
        }
        return {
          outcome: 'warn',
          detail: `Could not be checked: AssumeRole without the ExternalId failed for another reason (${error.message})`,
          hint: tryAgainHint(target),
        };
      }
      run.guardSessionName = sessionName;
      return {
        outcome: 'warn',
        detail: `Confused-deputy guard missing: the role also accepted an AssumeRole WITHOUT the ExternalId (session ${sessionName}; its credential was discarded).`,
        hint: externalIdGuardHint(target),
      };
    },
  };
}

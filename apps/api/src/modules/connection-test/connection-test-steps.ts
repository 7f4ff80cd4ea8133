import { assumeRoleStep, externalIdGuardStep } from './access-steps.js';
import { bucketStep, encryptionStep, tlsOnlyStep } from './bucket-steps.js';
import { corsStep } from './cors-step.js';
import { multipartStep, objectRoundTripStep } from './object-steps.js';
import type { ConnectionTestStepDefinition } from './run-connection-test.js';
import type { VerifyPorts, VerifyRun } from './verify-run.js';

/** The connection test's steps, in order (ids: `connectionTestStepIds` in @isola/contracts). */
export function connectionTestSteps(ports: VerifyPorts): ConnectionTestStepDefinition<VerifyRun>[] {
  return [
    assumeRoleStep(ports),
    externalIdGuardStep(ports),
    bucketStep(ports),
    objectRoundTripStep(ports),
    multipartStep(ports),
    corsStep(ports),
    encryptionStep(ports),
    tlsOnlyStep(ports),
  ];
}

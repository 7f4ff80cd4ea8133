import type { StorageError } from '@isola/tenant-storage';

/** One line saying how STS refused, for the audit row and the target's last check (no secrets). */
export function describeRevocation(error: StorageError): string {
  const operation = error.details.operation ?? 'AssumeRole';
  const facts = [
    error.details.httpStatus === undefined ? undefined : `HTTP ${error.details.httpStatus}`,
    error.details.awsCode === undefined || error.details.awsCode === 'Unknown' ? undefined : error.details.awsCode,
  ].filter((fact): fact is string => fact !== undefined);
  return `${operation} refused${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
}

import type { StorageTargetStatus } from '@isola/contracts';

/** Each target status in words, and what it means for the studio. */
export const TARGET_STATUS: Record<StorageTargetStatus, { label: string; hint: string }> = {
  pending: { label: 'Not verified', hint: 'Apply the setup kit, then run the connection test.' },
  verified: { label: 'Verified', hint: 'The connection test passed: it can be activated.' },
  active: { label: 'Active', hint: 'Isola reaches it.' },
  revoked: { label: 'Access revoked', hint: 'Isola cannot assume its role any more.' },
  retired: { label: 'Retired', hint: 'No longer used.' },
};

export function modeLabel(mode: 'hosted' | 'isolated'): string {
  return mode === 'hosted' ? 'Hosted by Isola' : 'Your own bucket';
}

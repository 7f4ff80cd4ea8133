import type { MembershipRole, StaffRole } from '@isola/database';

/** Who is calling: resolved from the session cookie by the AccessGuard, never from the request body. */
export interface Actor {
  userId: string;
  email: string;
  displayName: string;
  sessionId: string;
  /** The studio this session acts for, with the user's role in it; null for staff without a studio. */
  tenant: { id: string; slug: string; name: string; role: MembershipRole } | null;
  /** Isola's own people: support or platform admin. */
  staffRole: StaffRole | null;
}

/** A route's audience. Every route declares one (a test enumerates the router and fails otherwise). */
export type AccessRule =
  /** Anyone, signed in or not (health, login). */
  | 'public'
  /** Any signed-in user. */
  | 'authenticated'
  /** A member or admin of the session's studio. */
  | 'tenant-member'
  /** An admin of the session's studio. */
  | 'tenant-admin'
  /** Platform staff (support or admin). */
  | 'staff'
  /** Platform admins only. */
  | 'staff-admin';

export function satisfies(actor: Actor | null, rule: AccessRule): boolean {
  switch (rule) {
    case 'public':
      return true;
    case 'authenticated':
      return actor !== null;
    case 'tenant-member':
      return Boolean(actor?.tenant);
    case 'tenant-admin':
      return actor?.tenant?.role === 'admin';
    case 'staff':
      return Boolean(actor?.staffRole);
    case 'staff-admin':
      return actor?.staffRole === 'admin';
  }
}

import { ManualClock } from '@isola/runtime';
import type { Actor } from '../../common/auth/actor.js';
import type { AuditEntry, AuditService } from '../audit/audit.service.js';
import type { TargetModeAndStatus } from './classify-tenant-storage.js';
import { SupportAccessPolicy } from './support-access-policy.service.js';
import type { SupportRepository } from './support.repository.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const HOSTED_TARGET = '22222222-2222-4222-8222-222222222222';
const ISOLATED_TARGET = '33333333-3333-4333-8333-333333333333';

/** A repository holding one tenant's targets and grants in memory, and an audit log that records. */
function newPolicy(opts: {
  targets: Array<TargetModeAndStatus & { id: string }>;
  grants?: Array<{ id: string; expiresAt: Date; revokedAt?: Date }>;
}) {
  const clock = new ManualClock(new Date('2026-01-01T12:00:00Z'));
  const recorded: AuditEntry[] = [];
  const repository = {
    targetsOf: async (tenantId: string) => (tenantId === TENANT ? opts.targets : []),
    liveGrant: async (tenantId: string, now: Date) =>
      (tenantId === TENANT ? (opts.grants ?? []) : []).find((g) => !g.revokedAt && g.expiresAt > now) ?? null,
  } as unknown as SupportRepository;
  const audit = { record: async (entry: AuditEntry) => void recorded.push(entry) } as unknown as AuditService;
  return { policy: new SupportAccessPolicy(repository, audit, clock), clock, recorded };
}

const actor = (overrides: Partial<Actor>): Actor => ({
  userId: '44444444-4444-4444-8444-444444444444',
  email: 'someone@example.test',
  displayName: 'Someone',
  sessionId: '55555555-5555-4555-8555-555555555555',
  tenant: null,
  staffRole: null,
  ...overrides,
});
const support = actor({ staffRole: 'support' });
const staffAdmin = actor({ staffRole: 'admin' });

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; reason: string }> {
  try {
    await promise;
  } catch (e) {
    const err = e as { getStatus(): number; getResponse(): { code: string; details: { reason: string } } };
    return { status: err.getStatus(), code: err.getResponse().code, reason: err.getResponse().details.reason };
  }
  throw new Error('expected a refusal');
}

describe('SupportAccessPolicy', () => {
  const hosted = { id: HOSTED_TARGET, mode: 'hosted' as const, status: 'active' as const };
  const isolated = { id: ISOLATED_TARGET, mode: 'isolated' as const, status: 'active' as const };
  const liveGrant = { id: 'grant-1', expiresAt: new Date('2026-01-01T13:00:00Z') };

  it("lets the studio's own members through without looking anything up", async () => {
    const { policy, recorded } = newPolicy({ targets: [isolated] });
    const member = actor({ tenant: { id: TENANT, slug: 's', name: 'S', role: 'member' } });
    await expect(policy.assertStaffMayAccessMedia(member, TENANT)).resolves.toEqual({ kind: 'member' });
    expect(recorded).toEqual([]);
  });

  it('refuses members of other studios who are not staff', async () => {
    const { policy } = newPolicy({ targets: [hosted], grants: [liveGrant] });
    const other = actor({ tenant: { id: '66666666-6666-4666-8666-666666666666', slug: 'o', name: 'O', role: 'admin' } });
    expect(await refusal(policy.assertStaffMayAccessMedia(other, TENANT))).toEqual({
      status: 403,
      code: 'SUPPORT_ACCESS_DENIED',
      reason: 'not-staff',
    });
  });

  it('never lets staff reach an isolated studio, even with a grant on record, and audits the attempt', async () => {
    const { policy, recorded } = newPolicy({ targets: [hosted, isolated], grants: [liveGrant] });
    for (const staff of [support, staffAdmin]) {
      expect(await refusal(policy.assertStaffMayAccessMedia(staff, TENANT))).toEqual({
        status: 403,
        code: 'SUPPORT_ACCESS_DENIED',
        reason: 'isolated',
      });
    }
    expect(recorded.map((r) => [r.tenantId, r.action, r.actorKind])).toEqual([
      [TENANT, 'support.media_access_denied', 'staff'],
      [TENANT, 'support.media_access_denied', 'staff'],
    ]);
  });

  it('refuses staff on a hosted studio without a live grant', async () => {
    const { policy } = newPolicy({ targets: [hosted], grants: [{ ...liveGrant, revokedAt: new Date('2026-01-01T11:00:00Z') }] });
    expect((await refusal(policy.assertStaffMayAccessMedia(support, TENANT))).reason).toBe('no-grant');
  });

  it('lets staff reach a hosted studio while a grant is live, and not a moment after', async () => {
    const { policy, clock } = newPolicy({ targets: [hosted], grants: [liveGrant] });
    await expect(policy.assertStaffMayAccessMedia(support, TENANT, { storageTargetId: HOSTED_TARGET })).resolves.toEqual({
      kind: 'support-grant',
      grantId: 'grant-1',
      expiresAt: liveGrant.expiresAt,
    });
    clock.set(liveGrant.expiresAt);
    expect((await refusal(policy.assertStaffMayAccessMedia(support, TENANT))).reason).toBe('no-grant');
  });

  it('refuses media in an isolated target (even a retired one) and targets that are not the tenant’s', async () => {
    const retiredIsolated = { ...isolated, status: 'retired' as const };
    const { policy } = newPolicy({ targets: [hosted, retiredIsolated], grants: [liveGrant] });
    await expect(policy.assertStaffMayAccessMedia(support, TENANT)).resolves.toMatchObject({ kind: 'support-grant' });
    expect((await refusal(policy.assertStaffMayAccessMedia(support, TENANT, { storageTargetId: ISOLATED_TARGET }))).reason).toBe(
      'isolated',
    );
    expect(
      (await refusal(policy.assertStaffMayAccessMedia(support, TENANT, { storageTargetId: '77777777-7777-4777-8777-777777777777' })))
        .reason,
    ).toBe('no-grant');
  });

  it('refuses staff on a tenant without live storage', async () => {
    const { policy } = newPolicy({ targets: [], grants: [liveGrant] });
    expect((await refusal(policy.assertStaffMayAccessMedia(support, TENANT))).reason).toBe('no-grant');
  });
});

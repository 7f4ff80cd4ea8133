import { planActivation, type TargetState } from './plan-activation.js';

const hosted = (status: TargetState['status'] = 'active'): TargetState => ({ id: 'hosted-1', mode: 'hosted', status });
const isolated = (status: TargetState['status'] = 'verified', id = 'iso-1'): TargetState => ({ id, mode: 'isolated', status });

describe('planActivation', () => {
  const base = { migrationInProgress: false, deleteObjectsEnabled: false };

  it('hosted → verified isolated: activates and migrates, deleting the hosted copies later', () => {
    expect(planActivation({ ...base, target: isolated(), active: hosted() })).toEqual({
      kind: 'activate',
      previousTargetId: 'hosted-1',
      migrate: true,
      deleteSources: true,
    });
  });

  it('isolated → hosted: keeps the studio bucket’s copies unless the studio opted in to deletes', () => {
    const from = isolated('active');
    expect(planActivation({ ...base, target: hosted('retired'), active: from })).toMatchObject({ migrate: true, deleteSources: false });
    expect(planActivation({ ...base, deleteObjectsEnabled: true, target: hosted('pending'), active: from })).toMatchObject({
      migrate: true,
      deleteSources: true,
    });
  });

  it('isolated → another isolated bucket follows the same opt-in', () => {
    const decision = planActivation({ ...base, target: isolated('verified', 'iso-2'), active: isolated('active') });
    expect(decision).toEqual({ kind: 'activate', previousTargetId: 'iso-1', migrate: true, deleteSources: false });
  });

  it('a tenant without an active target just activates: nothing to migrate', () => {
    expect(planActivation({ ...base, target: isolated(), active: null })).toEqual({
      kind: 'activate',
      previousTargetId: null,
      migrate: false,
      deleteSources: false,
    });
  });

  it('refuses isolated targets that did not pass the connection test, and revoked ones of any mode', () => {
    for (const status of ['pending', 'retired', 'revoked'] as const) {
      expect(planActivation({ ...base, target: isolated(status), active: hosted() })).toEqual({ kind: 'refuse', reason: 'not-verified' });
    }
    expect(planActivation({ ...base, target: { ...hosted('revoked'), id: 'h2' }, active: isolated('active') })).toEqual({
      kind: 'refuse',
      reason: 'not-verified',
    });
  });

  it('refuses the active target itself before anything else, then any switch while a migration runs', () => {
    const active = isolated('active');
    expect(planActivation({ ...base, migrationInProgress: true, target: active, active })).toEqual({
      kind: 'refuse',
      reason: 'already-active',
    });
    expect(planActivation({ ...base, migrationInProgress: true, target: isolated('verified', 'iso-2'), active })).toEqual({
      kind: 'refuse',
      reason: 'migration-in-progress',
    });
  });
});

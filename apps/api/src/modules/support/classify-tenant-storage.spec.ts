import { classifyTenantStorage, supportGrantStatus } from './classify-tenant-storage.js';

describe('classifyTenantStorage', () => {
  it('is hosted when every live target is hosted', () => {
    expect(classifyTenantStorage([{ mode: 'hosted', status: 'active' }])).toBe('hosted');
    expect(
      classifyTenantStorage([
        { mode: 'hosted', status: 'active' },
        { mode: 'isolated', status: 'retired' },
      ]),
    ).toBe('hosted');
  });

  it('is isolated as soon as any non-retired target is the studio’s own bucket, whatever its status', () => {
    for (const status of ['pending', 'verified', 'active', 'revoked'] as const) {
      expect(
        classifyTenantStorage([
          { mode: 'hosted', status: 'active' },
          { mode: 'isolated', status },
        ]),
      ).toBe('isolated');
    }
  });

  it('is none without live targets', () => {
    expect(classifyTenantStorage([])).toBe('none');
    expect(classifyTenantStorage([{ mode: 'hosted', status: 'retired' }])).toBe('none');
  });
});

describe('supportGrantStatus', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  it('is active until it expires, expired after, revoked once revoked', () => {
    expect(supportGrantStatus({ expiresAt: new Date('2026-01-01T12:00:01Z'), revokedAt: null }, now)).toBe('active');
    expect(supportGrantStatus({ expiresAt: now, revokedAt: null }, now)).toBe('expired');
    expect(supportGrantStatus({ expiresAt: new Date('2026-01-02T00:00:00Z'), revokedAt: now }, now)).toBe('revoked');
  });
});

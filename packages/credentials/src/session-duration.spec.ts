import type { CredentialScope } from './credential-scope.js';
import { DEFAULT_CREDENTIAL_DURATIONS, effectiveCredentialExpiry, sessionDurationSeconds } from './session-duration.js';

const NOW = new Date('2030-01-01T12:00:00.000Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const transcode = (grantExpiresAt: Date): CredentialScope => ({
  purpose: 'transcode',
  mediaId: 'm1',
  sourceKey: 'media/m1/source/a.mp4',
  grantExpiresAt,
});

describe('sessionDurationSeconds', () => {
  it.each<[CredentialScope, number]>([
    [{ purpose: 'upload', mediaId: 'm1', sourceKey: 'media/m1/source/a.mp4' }, 900],
    [{ purpose: 'link' }, 3600],
    [{ purpose: 'migrate', side: 'read', mediaId: 'm1' }, 900],
    [{ purpose: 'delete', mediaId: 'm1' }, 900],
    [{ purpose: 'verify' }, 900],
  ])('uses the configured duration for %j', (scope, seconds) => {
    expect(sessionDurationSeconds(scope, NOW)).toBe(seconds);
  });

  it('follows the transcode grant window, clamped to [900, configured maximum]', () => {
    expect(sessionDurationSeconds(transcode(at(1800)), NOW)).toBe(1800);
    expect(sessionDurationSeconds(transcode(at(1800.9)), NOW)).toBe(1800); // rounded down
    expect(sessionDurationSeconds(transcode(at(7200)), NOW)).toBe(3600);
    expect(sessionDurationSeconds(transcode(at(7200)), NOW, { ...DEFAULT_CREDENTIAL_DURATIONS, transcode: 2700 })).toBe(2700);
  });

  it('never asks STS for less than 900 s, even when the grant is nearly or already over', () => {
    expect(sessionDurationSeconds(transcode(at(600)), NOW)).toBe(900);
    expect(sessionDurationSeconds(transcode(at(1)), NOW)).toBe(900);
    expect(sessionDurationSeconds(transcode(at(-60)), NOW)).toBe(900);
  });

  it('clamps configured values to what STS accepts', () => {
    const config = { upload: 60, transcode: 100, link: 100_000, migrate: 1200.7, delete: 900, verify: 900 };
    expect(sessionDurationSeconds({ purpose: 'upload', mediaId: 'm1', sourceKey: 'media/m1/source/a' }, NOW, config)).toBe(900);
    expect(sessionDurationSeconds({ purpose: 'link' }, NOW, config)).toBe(43_200);
    expect(sessionDurationSeconds({ purpose: 'migrate', side: 'write', mediaId: 'm1' }, NOW, config)).toBe(1200);
    expect(sessionDurationSeconds(transcode(at(3000)), NOW, config)).toBe(900);
    expect(() => sessionDurationSeconds({ purpose: 'verify' }, NOW, { ...config, verify: Number.NaN })).toThrow(RangeError);
    expect(() => sessionDurationSeconds(transcode(new Date('x')), NOW)).toThrow(RangeError);
  });
});

describe('effectiveCredentialExpiry', () => {
  it('ends a transcode credential at the grant expiry when that comes first', () => {
    expect(effectiveCredentialExpiry(transcode(at(600)), at(900))).toEqual(at(600));
    expect(effectiveCredentialExpiry(transcode(at(1200)), at(900))).toEqual(at(900));
    expect(effectiveCredentialExpiry({ purpose: 'link' }, at(3600))).toEqual(at(3600));
  });
});

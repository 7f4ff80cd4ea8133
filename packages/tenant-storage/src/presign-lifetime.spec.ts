import { MAX_PRESIGN_SECONDS, presignExpiresInSeconds } from './presign-lifetime.js';

const NOW = new Date('2030-01-01T12:00:00.000Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('presignExpiresInSeconds', () => {
  it('is the requested lifetime while the credential outlives it by the margin', () => {
    expect(presignExpiresInSeconds(NOW, at(3600), 900)).toBe(900);
    expect(presignExpiresInSeconds(NOW, at(3600))).toBe(900);
    expect(presignExpiresInSeconds(NOW, at(960), 900)).toBe(900);
  });

  it('never outlives the credential (minus the margin)', () => {
    expect(presignExpiresInSeconds(NOW, at(600), 900)).toBe(540);
    expect(presignExpiresInSeconds(NOW, at(600.9), 900)).toBe(540);
    expect(presignExpiresInSeconds(NOW, at(70), 900, 0)).toBe(70);
    expect(presignExpiresInSeconds(NOW, at(10 * 86_400), 10 * 86_400, 0)).toBe(MAX_PRESIGN_SECONDS);
  });

  it('refuses to sign with a credential about to expire, or a lifetime under 1 s', () => {
    expect(() => presignExpiresInSeconds(NOW, at(60.5), 900)).toThrow(/refresh/);
    expect(() => presignExpiresInSeconds(NOW, at(-5), 900)).toThrow(RangeError);
    expect(() => presignExpiresInSeconds(NOW, at(3600), 0)).toThrow(RangeError);
    expect(() => presignExpiresInSeconds(NOW, at(3600), Number.NaN)).toThrow(RangeError);
  });
});

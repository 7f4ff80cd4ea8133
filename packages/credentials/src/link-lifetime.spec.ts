import { linkExpiry, linkLifetimeSeconds, needsRefresh } from './link-lifetime.js';

const NOW = new Date('2030-01-01T12:00:00.000Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('link lifetime', () => {
  it('is the configured lifetime while the credential has plenty left', () => {
    expect(linkLifetimeSeconds(NOW, at(3600), 900)).toBe(900);
    expect(linkExpiry(NOW, at(3600), 900)).toEqual(at(900));
    expect(linkExpiry(NOW, at(3600))).toEqual(at(900)); // default 15 min
  });

  it('is the credential remaining minus one minute when that is shorter', () => {
    expect(linkLifetimeSeconds(NOW, at(600), 900)).toBe(540);
    expect(linkExpiry(NOW, at(600), 900)).toEqual(at(540));
    expect(linkExpiry(NOW, at(600.5), 900)).toEqual(at(540)); // whole seconds, rounded down
    expect(linkExpiry(NOW, at(61), 900)).toEqual(at(1));
  });

  it('refuses to sign when the credential expires within a minute', () => {
    expect(linkLifetimeSeconds(NOW, at(60), 900)).toBe(0);
    expect(() => linkExpiry(NOW, at(60), 900)).toThrow(RangeError);
    expect(() => linkExpiry(NOW, at(-10), 900)).toThrow(RangeError);
  });
});

describe('needsRefresh', () => {
  it('refreshes a link credential when less than link lifetime + 1 min remains', () => {
    expect(needsRefresh(NOW, at(3600), 'link', 900)).toBe(false);
    expect(needsRefresh(NOW, at(960), 'link', 900)).toBe(false);
    expect(needsRefresh(NOW, at(959.999), 'link', 900)).toBe(true);
    expect(needsRefresh(NOW, at(100), 'link', 900)).toBe(true);
    expect(needsRefresh(NOW, at(-1), 'link', 900)).toBe(true);
  });

  it('so a link signed with a credential that needs no refresh gets its full configured lifetime', () => {
    for (let remaining = 0; remaining <= 3600; remaining += 7) {
      if (!needsRefresh(NOW, at(remaining), 'link', 900)) expect(linkLifetimeSeconds(NOW, at(remaining), 900)).toBe(900);
    }
  });

  it('refreshes other purposes when less than 5 minutes (configurable) remain', () => {
    expect(needsRefresh(NOW, at(301), 'upload', 900)).toBe(false);
    expect(needsRefresh(NOW, at(300), 'upload', 900)).toBe(false);
    expect(needsRefresh(NOW, at(299), 'upload', 900)).toBe(true);
    expect(needsRefresh(NOW, at(299), 'transcode', 900, { minRemainingSeconds: 120 })).toBe(false);
  });

  it('treats an invalid expiry as expired', () => {
    expect(needsRefresh(NOW, new Date('x'), 'verify', 900)).toBe(true);
  });
});

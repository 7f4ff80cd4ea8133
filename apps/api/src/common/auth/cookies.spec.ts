import { clearedSessionCookie, readCookie, sessionCookie } from './cookies.js';

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, scoped to /api, Secure in production', () => {
    expect(sessionCookie('tok', { maxAgeSeconds: 60, secure: false })).toBe(
      'isola_session=tok; Path=/api; HttpOnly; SameSite=Lax; Max-Age=60',
    );
    expect(sessionCookie('tok', { maxAgeSeconds: 60, secure: true })).toMatch(/; Secure$/);
    expect(clearedSessionCookie(false)).toContain('Max-Age=0');
  });

  it('reads one cookie among several and ignores malformed ones', () => {
    expect(readCookie('a=1; isola_session=abc%2Bdef; b=2', 'isola_session')).toBe('abc+def');
    expect(readCookie('isola_session_x=1', 'isola_session')).toBeUndefined();
    expect(readCookie('isola_session=%E0%A4%A', 'isola_session')).toBeUndefined();
    expect(readCookie(undefined, 'isola_session')).toBeUndefined();
  });
});

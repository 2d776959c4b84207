import { clearedSessionCookie, cookieValues, sessionCookie } from './session-cookie';

describe('the session cookie, as the auth app writes and reads it', () => {
  it('is HttpOnly, SameSite=Lax, for every path, and Secure only for an https public origin', () => {
    expect(sessionCookie('gh_session', 'abc', false)).toBe('gh_session=abc; HttpOnly; SameSite=Lax; Path=/');
    expect(sessionCookie('gh_session', 'abc', true)).toBe('gh_session=abc; HttpOnly; SameSite=Lax; Path=/; Secure');
  });

  it('is cleared with the same attributes, empty and expired', () => {
    expect(clearedSessionCookie('gh_session', false)).toBe('gh_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0');
    expect(clearedSessionCookie('gh_session', true)).toBe('gh_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0; Secure');
  });

  it('reads every value of the name and nothing else', () => {
    expect(cookieValues('theme=dark; gh_session=a;gh_session=b; xgh_session=c', 'gh_session')).toEqual(['a', 'b']);
    expect(cookieValues(undefined, 'gh_session')).toEqual([]);
    expect(cookieValues('gh_session', 'gh_session')).toEqual([]);
  });
});

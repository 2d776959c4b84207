import { DeviceCookie } from './device-cookie';

describe('the device cookie', () => {
  it('is HttpOnly, SameSite=Lax, for every path, lasts its Max-Age, and is Secure and __Host- on https', () => {
    expect(new DeviceCookie(false, 60).set('abc')).toBe('gh_device=abc; HttpOnly; SameSite=Lax; Path=/; Max-Age=60');
    expect(new DeviceCookie(true, 60).set('abc')).toBe('__Host-gh_device=abc; HttpOnly; SameSite=Lax; Path=/; Max-Age=60; Secure');
  });

  it('reads a single value of its own name, and nothing when it is given twice', () => {
    const cookie = new DeviceCookie(false, 60);
    expect(cookie.read('gh_session=x; gh_device=abc')).toBe('abc');
    expect(cookie.read('gh_device=a; gh_device=b')).toBeUndefined();
    expect(cookie.read(undefined)).toBeUndefined();
    expect(new DeviceCookie(true, 60).read('gh_device=abc')).toBeUndefined();
  });
});

import { cookieValues, withoutCookie } from './session-cookie';

describe('session cookie parsing', () => {
  describe('cookieValues', () => {
    it('finds the named cookie among others, whatever the spacing', () => {
      expect(cookieValues('theme=dark; gh_session=abc-DEF_123; lang=fr', 'gh_session')).toEqual(['abc-DEF_123']);
      expect(cookieValues('gh_session=abc;theme=dark', 'gh_session')).toEqual(['abc']);
      expect(cookieValues('  gh_session = abc  ', 'gh_session')).toEqual(['abc']);
    });

    it('matches the whole name, case-sensitively', () => {
      expect(cookieValues('xgh_session=a; gh_session_old=b; GH_SESSION=c', 'gh_session')).toEqual([]);
    });

    it('answers every value when the name repeats (cookies of several paths or domains)', () => {
      expect(cookieValues('gh_session=a; other=x; gh_session=b', 'gh_session')).toEqual(['a', 'b']);
    });

    it('keeps an empty value, and an = inside the value', () => {
      expect(cookieValues('gh_session=', 'gh_session')).toEqual(['']);
      expect(cookieValues('gh_session=a=b==', 'gh_session')).toEqual(['a=b==']);
    });

    it('answers nothing for no header, an empty one, or pairs without a name', () => {
      expect(cookieValues(undefined, 'gh_session')).toEqual([]);
      expect(cookieValues('', 'gh_session')).toEqual([]);
      expect(cookieValues('gh_session; =gh_session', 'gh_session')).toEqual([]);
    });
  });

  describe('withoutCookie', () => {
    it('removes every pair of the name and keeps the others as they were', () => {
      expect(withoutCookie('theme=dark; gh_session=abc; lang=fr; gh_session=def', 'gh_session')).toBe('theme=dark; lang=fr');
    });

    it('answers undefined when nothing else is left', () => {
      expect(withoutCookie('gh_session=abc', 'gh_session')).toBeUndefined();
      expect(withoutCookie(' ; gh_session=abc;', 'gh_session')).toBeUndefined();
    });

    it('leaves a header without the cookie alone', () => {
      expect(withoutCookie('theme=dark; xgh_session=1', 'gh_session')).toBe('theme=dark; xgh_session=1');
    });
  });
});

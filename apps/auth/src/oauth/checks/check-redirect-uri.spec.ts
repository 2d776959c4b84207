import { matchRedirectUri } from './check-redirect-uri';
import { pkceMatches } from './check-pkce';

describe('matchRedirectUri', () => {
  const registered = ['https://app.acme.test/callback', 'http://127.0.0.1/cb', 'http://[::1]:8000/cb', 'http://localhost:3000/cb'];

  it('matches a registered URI by exact string only', () => {
    expect(matchRedirectUri(registered, 'https://app.acme.test/callback')).toBe('https://app.acme.test/callback');
    for (const near of [
      'https://app.acme.test/callback/',
      'https://app.acme.test/callback?x=1',
      'https://APP.acme.test/callback',
      'https://app.acme.test/Callback',
      'https://app.acme.test:443/callback',
      'http://localhost:3001/cb',
    ]) {
      expect([near, matchRedirectUri(registered, near)]).toEqual([near, undefined]);
    }
  });

  it('lets any port through on a loopback http URI, and nothing else of it change', () => {
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/cb')).toBe('http://127.0.0.1:51234/cb');
    expect(matchRedirectUri(registered, 'http://[::1]/cb')).toBe('http://[::1]/cb');
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/other')).toBeUndefined();
    expect(matchRedirectUri(registered, 'http://127.0.0.1.evil.test:51234/cb')).toBeUndefined();
  });
});

describe('pkceMatches', () => {
  // RFC 7636 appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('accepts the verifier of the challenge and nothing else', () => {
    expect(pkceMatches(verifier, challenge)).toBe(true);
    expect(pkceMatches(`${verifier.slice(0, -1)}l`, challenge)).toBe(false);
    expect(pkceMatches(challenge, challenge)).toBe(false);
    expect(pkceMatches(undefined, challenge)).toBe(false);
    expect(pkceMatches('short', challenge)).toBe(false);
  });
});

import { checkTokenHeader } from './check-token-header';

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const header = encode({ alg: 'RS256', typ: 'at+jwt', kid: 'k1' });
const payload = encode({ sub: 'alice' });
const reason = (token: string) => {
  try {
    checkTokenHeader(token, ['RS256'], 'at+jwt');
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('checkTokenHeader: one spelling per token', () => {
  // Signatures of 256 bytes (RS256) and 64 (ES256) end in a character with four spare bits, one of
  // 32 bytes in a character with two, one of 30 bytes in none: each kind of last character is tried.
  it.each([256, 64, 32, 30])('accepts a canonical %i-byte signature, and refuses it with a spare bit set', (bytes) => {
    const signature = Buffer.alloc(bytes, 7).toString('base64url');
    expect(reason(`${header}.${payload}.${signature}`)).toBe('accepted');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature[signature.length - 1]);
    const tweaked = `${signature.slice(0, -1)}${alphabet[last ^ 1]}`;
    if (bytes % 3 === 0) return; // no spare bits when the length is a multiple of 3 bytes
    // Node decodes both spellings to the same bytes; only the text differs.
    expect(Buffer.from(tweaked, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    expect(reason(`${header}.${payload}.${tweaked}`)).toBe('not canonical base64url');
  });

  it.each([
    ['padding', `${header}.${payload}.AAAA==`],
    ['the base64 alphabet', `${header}.${payload}.ab+/`],
    ['whitespace', `${header}.${payload}.AAAA AAAA`],
    ['an impossible length', `${header}.${payload}.AAAAA`],
  ])('refuses %s', (_name, token) => {
    expect(reason(token)).toBe('not canonical base64url');
  });
});

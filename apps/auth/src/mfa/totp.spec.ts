import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totpStep } from './totp';

// RFC 6238 appendix B: the seeds are ASCII "12345678901234567890" repeated to the hash's length.
const SEED_SHA1 = Buffer.from('12345678901234567890', 'ascii');
const SEED_SHA256 = Buffer.from('12345678901234567890123456789012', 'ascii');
const SEED_SHA512 = Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii');

const VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('at %i s matches the RFC test vectors for SHA-1, SHA-256 and SHA-512', (time, sha1, sha256, sha512) => {
    const step = totpStep(time * 1000);
    expect(hotp(SEED_SHA1, step, 8, 'sha1')).toBe(sha1);
    expect(hotp(SEED_SHA256, step, 8, 'sha256')).toBe(sha256);
    expect(hotp(SEED_SHA512, step, 8, 'sha512')).toBe(sha512);
  });

  it('matches RFC 4226 appendix D HOTP values with 6 digits', () => {
    expect([0, 1, 2, 9].map((counter) => hotp(SEED_SHA1, counter))).toEqual(['755224', '287082', '359152', '520489']);
  });

  it('refuses malformed codes, accepts one step either side and names the step', () => {
    const now = 1_234_567_890_000;
    const step = totpStep(now);
    expect(matchTotp(SEED_SHA1, '12345', now)).toBeNull();
    expect(matchTotp(SEED_SHA1, '1234567', now)).toBeNull();
    expect(matchTotp(SEED_SHA1, 'abcdef', now)).toBeNull();
    expect(matchTotp(SEED_SHA1, hotp(SEED_SHA1, step - 2), now)).toBeNull();
    expect(matchTotp(SEED_SHA1, hotp(SEED_SHA1, step + 2), now)).toBeNull();
    expect(matchTotp(SEED_SHA1, hotp(SEED_SHA1, step - 1), now)).toBe(step - 1);
    expect(matchTotp(SEED_SHA1, hotp(SEED_SHA1, step), now)).toBe(step);
    expect(matchTotp(SEED_SHA1, hotp(SEED_SHA1, step + 1), now)).toBe(step + 1);
  });

  it('round-trips base32 (RFC 4648 section 10) and refuses what is not base32', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI======')?.toString()).toBe('foobar');
    expect(base32Decode('mzxw 6ytb oi')?.toString()).toBe('foobar');
    expect(base32Decode('MZXW1')).toBeNull();
    expect(base32Encode(SEED_SHA1)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it('writes the Key Uri Format authenticator apps read', () => {
    expect(otpauthUri(SEED_SHA1, 'Acme Corp', 'ada@acme')).toBe(
      'otpauth://totp/Acme%20Corp:ada%40acme?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme+Corp&algorithm=SHA1&digits=6&period=30',
    );
  });
});

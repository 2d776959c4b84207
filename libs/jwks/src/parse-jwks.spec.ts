import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { ecKey, ed25519Key, rsaKey } from '../test/jwks-test-server';
import type { JwsAlg } from './jwks.types';
import { JwksDocumentError, parseJwks } from './parse-jwks';

const ALL: JwsAlg[] = ['RS256', 'ES256', 'EdDSA'];
const rsa = rsaKey('rsa-1');
const ec = ecKey('ec-1');
const ed = ed25519Key('ed-1');

/** Parses a set made of one good key plus `bad`, and returns the reasons the bad one was skipped. */
function skippedWith(bad: unknown, algs: JwsAlg[] = ALL): string[] {
  const parsed = parseJwks({ keys: [rsa.jwk, bad] }, 'iss', algs);
  expect([...parsed.keys.keys()]).toEqual(['rsa-1']);
  expect(parsed.skipped).toBe(1);
  return parsed.reasons;
}

describe('parseJwks refuses', () => {
  it.each([null, 'keys', [], { keys: {} }, { key: [] }])('a document without a keys array: %p', (document) => {
    expect(() => parseJwks(document, 'iss', ALL)).toThrow(JwksDocumentError);
  });

  it('an empty or wholly unusable set, naming the reasons', () => {
    expect(() => parseJwks({ keys: [] }, 'iss', ALL)).toThrow('the set is empty');
    const leaked = { ...rsa.jwk, d: 'AQAB' };
    expect(() => parseJwks({ keys: [leaked] }, 'iss', ALL)).toThrow('private member "d"');
  });

  it.each(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'])('a key carrying the private member %s', (member) => {
    expect(skippedWith({ ...ec.jwk, kid: 'leak', [member]: 'AQAB' })).toEqual([`key 1: kid "leak": carries the private member "${member}"`]);
  });

  it('a real exported private key (not only a stray member)', () => {
    const jwk = rsaKey('x').privateKey.export({ format: 'jwk' });
    expect(skippedWith({ ...jwk, kid: 'priv' })[0]).toContain('private member');
  });

  it('RSA keys below 2048 bits, and an exponent of 1 that would allow forgeries', () => {
    expect(skippedWith(rsaKey('weak', 1024).jwk)[0]).toBe('key 1: kid "weak": RSA modulus of 1024 bits is refused');
    // node:crypto imports e = 1 and e = 2 without complaint, so the check is ours.
    expect(skippedWith({ ...rsa.jwk, kid: 'e1', e: 'AQ' })[0]).toBe('key 1: kid "e1": RSA public exponent is refused');
    expect(skippedWith({ ...rsa.jwk, kid: 'e2', e: 'Ag' })[0]).toBe('key 1: kid "e2": RSA public exponent is refused');
  });

  it.each([
    ['HS256', 'alg "HS256" is not allowed'],
    ['none', 'alg "none" is not allowed'],
    ['RS384', 'alg "RS384" is not allowed'],
    ['ES256', 'alg ES256 does not fit the key type'],
  ])('an RSA key declaring alg %s', (alg, reason) => {
    expect(skippedWith({ ...rsa.jwk, kid: 'a', alg })).toEqual([`key 1: kid "a": ${reason}`]);
  });

  it('an algorithm the cache does not allow, declared or implied', () => {
    expect(skippedWith({ ...ec.jwk, alg: 'ES256' }, ['RS256'])[0]).toContain('alg "ES256" is not allowed');
    expect(skippedWith(ec.jwk, ['RS256'])[0]).toContain('alg ES256 is not allowed');
    expect(skippedWith(ed.jwk, ['RS256', 'ES256'])[0]).toContain('alg EdDSA is not allowed');
  });

  it('curves and key types other than P-256 and Ed25519', () => {
    expect(skippedWith(ecKey('p384', 'P-384').jwk)[0]).toContain('EC curve "P-384" is not supported');
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' });
    expect(skippedWith({ ...x25519, kid: 'x' })[0]).toContain('OKP curve "X25519" is not supported');
    expect(skippedWith({ kty: 'oct', kid: 's' })[0]).toContain('kty "oct" is not supported');
    // A crv that lies about the key material does not import as the claimed curve.
    expect(skippedWith({ ...ecKey('lie', 'P-384').jwk, crv: 'P-256' })[0]).toMatch(/does not import|not a P-256/);
  });

  it('keys not meant for signatures, without a kid, or with broken material', () => {
    expect(skippedWith({ ...ec.jwk, kid: 'enc', use: 'enc' })[0]).toContain('"use" is not "sig"');
    expect(skippedWith({ ...ec.jwk, kid: 'ops', key_ops: ['encrypt'] })[0]).toContain('"key_ops"');
    expect(skippedWith({ ...ec.jwk, kid: undefined })[0]).toBe('key 1: no usable "kid"');
    expect(skippedWith({ ...ec.jwk, kid: 'k'.repeat(257) })[0]).toBe('key 1: no usable "kid"');
    expect(skippedWith({ ...ec.jwk, kid: 'bad', x: 'AAAA' })[0]).toContain('does not import');
    expect(skippedWith({ kty: 'RSA', kid: 'nomat', e: 'AQAB' })[0]).toContain('key material is missing');
    expect(skippedWith('a string')[0]).toBe('key 1: not an object');
  });

  it('every key of a kid published twice, as ambiguous', () => {
    const parsed = parseJwks({ keys: [ec.jwk, { ...ed.jwk, kid: 'ec-1' }, rsa.jwk] }, 'iss', ALL);
    expect([...parsed.keys.keys()]).toEqual(['rsa-1']);
    expect(parsed.skipped).toBe(2);
  });
});

describe('parseJwks imports', () => {
  it('each supported key once, binding it to the issuer and inferring a missing alg', () => {
    const parsed = parseJwks({ keys: [{ ...rsa.jwk, alg: undefined }, ec.jwk, ed.jwk] }, 'https://a.test', ALL);
    expect([...parsed.keys.values()].map(({ issuer, kid, alg }) => ({ issuer, kid, alg }))).toEqual([
      { issuer: 'https://a.test', kid: 'rsa-1', alg: 'RS256' },
      { issuer: 'https://a.test', kid: 'ec-1', alg: 'ES256' },
      { issuer: 'https://a.test', kid: 'ed-1', alg: 'EdDSA' },
    ]);
    expect(parsed.skipped).toBe(0);
  });

  it('KeyObjects that verify what the matching private keys signed', () => {
    const { keys } = parseJwks({ keys: [rsa.jwk, ec.jwk, ed.jwk] }, 'iss', ALL);
    const data = Buffer.from('header.payload');
    expect(verify('sha256', data, keys.get('rsa-1')!.key, sign('sha256', data, rsa.privateKey))).toBe(true);
    const ecSignature = sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' });
    expect(verify('sha256', data, { key: keys.get('ec-1')!.key, dsaEncoding: 'ieee-p1363' }, ecSignature)).toBe(true);
    expect(verify(null, data, keys.get('ed-1')!.key, sign(null, data, ed.privateKey))).toBe(true);
  });

  it('bounds the reasons it keeps, whatever the size of the set', () => {
    const bad = Array.from({ length: 50 }, (_, index) => ({ kty: 'oct', kid: `s${index}` }));
    const parsed = parseJwks({ keys: [...bad, rsa.jwk] }, 'iss', ALL);
    expect(parsed.skipped).toBe(50);
    expect(parsed.reasons).toHaveLength(10);
  });
});

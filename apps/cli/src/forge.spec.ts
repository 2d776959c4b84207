import { createHmac, generateKeyPairSync, verify } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Jwk, Probe, ScanContext } from './case';
import { CATALOGUE } from './cases';
import { publicKeyEncodings } from './cases/algorithm';
import { nonCanonical } from './cases/signature';
import { decodeJws, segment, signCompact } from './jose';
import { Loopback } from './loopback';

const issuer = generateKeyPairSync('rsa', { modulusLength: 2048 });
const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
const now = 1_800_000_000;
const header = { alg: 'RS256', typ: 'at+jwt', kid: 'key-1' };
const claims = { iss: 'https://idp.test', sub: 'u-1', aud: 'api', exp: now + 300, iat: now, jti: 'j-1', tenant_id: 'acme', scope: 'profile' };
const valid = signCompact(segment(header), segment(claims), 'RS256', issuer.privateKey);

function context(withIssuerKey: boolean): ScanContext {
  return {
    route: '/users/me',
    token: { ...decodeJws(valid), value: valid },
    jwks: [{ ...(issuer.publicKey.export({ format: 'jwk' }) as Jwk), kid: 'key-1', alg: 'RS256' }],
    issuerKey: withIssuerKey ? issuer.privateKey : undefined,
    platformIssuer: 'https://platform.test',
    echoRoute: '/echo/headers',
    otherTenant: 'globex',
    loopback: Object.assign(new Loopback(() => '{}'), { url: 'http://127.0.0.1:9' }),
    attacker: { privateKey: attacker.privateKey, jwk: { ...(attacker.publicKey.export({ format: 'jwk' }) as Jwk), kid: 'key-1' }, alg: 'RS256' },
    nowSeconds: now,
  };
}

const tokenOf = (probe: Probe) => probe.headers.find(([name]) => name === 'authorization')?.[1].replace(/^Bearer /, '');

/** The header members, claims and signature in which `token` differs from the valid one. */
function differences(token: string): string[] {
  const forged = decodeJws(token);
  const base = decodeJws(valid);
  const names = (a: Record<string, unknown>, b: Record<string, unknown>, part: string) =>
    [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((name) => !isDeepStrictEqual(a[name], b[name])).map((name) => `${part}.${name}`);
  const signature = Buffer.from(forged.raw[2], 'base64url').equals(Buffer.from(base.raw[2], 'base64url')) ? [] : ['signature'];
  const spelled = forged.raw[2] !== base.raw[2] && signature.length === 0 ? ['encoding'] : [];
  return [...names(forged.header, base.header, 'header'), ...names(forged.payload, base.payload, 'payload'), ...signature, ...spelled];
}

describe('forging: each forged token differs from the valid one only in the attacked property', () => {
  const forgedProbes = (withIssuerKey: boolean) =>
    CATALOGUE.filter((scanCase) => withIssuerKey || !scanCase.needs?.includes('issuer-key'))
      .flatMap((scanCase) =>
        scanCase.probes(context(withIssuerKey)).map((probe) => ({ id: `${scanCase.id} ${probe.variant ?? ''}`, probe, token: tokenOf(probe) })),
      )
      .filter((entry): entry is { id: string; probe: Probe; token: string } => entry.token !== undefined && entry.token !== valid);

  it.each([false, true])('with the issuer key: %s', (withIssuerKey) => {
    const probes = forgedProbes(withIssuerKey);
    expect(probes.length).toBeGreaterThan(40);
    for (const { id, probe, token } of probes) {
      const attacked = probe.attacked ?? [];
      if (token.split('.').length !== 3 || !token.startsWith('ey')) {
        expect({ id, attacked }).toEqual({ id, attacked: ['encoding'] });
        continue;
      }
      const changed = differences(token);
      expect({ id, changed: changed.length > 0 }).toEqual({ id, changed: true });
      expect({ id, unexpected: changed.filter((what) => !attacked.includes(what)) }).toEqual({ id, unexpected: [] });
    }
  });

  it('signs header attacks anew with the issuer key, so the signature itself is good', () => {
    const crit = CATALOGUE.find((scanCase) => scanCase.id === 'crit-unknown')?.probes(context(true))[0];
    const [head, body, signature] = String(tokenOf(crit as Probe)).split('.');
    expect(verify('sha256', Buffer.from(`${head}.${body}`), issuer.publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(decodeJws(String(tokenOf(crit as Probe))).header).toEqual({ ...header, crit: ['urn:gatehouse:scan'], 'urn:gatehouse:scan': true });
  });

  it('keys HMAC with the public key exactly as each encoding spells it', () => {
    const probes = CATALOGUE.find((scanCase) => scanCase.id === 'hmac-key-confusion-hs256')?.probes(context(false)) ?? [];
    const encodings = publicKeyEncodings(context(false).jwks[0]);
    expect(probes.map((probe) => probe.variant)).toEqual(encodings.map((encoding) => encoding.name));
    probes.forEach((probe, index) => {
      const [head, body, signature] = String(tokenOf(probe)).split('.');
      expect(signature).toBe(createHmac('sha256', encodings[index].secret).update(`${head}.${body}`).digest('base64url'));
    });
    expect(
      encodings
        .find((encoding) => encoding.name === 'spki PEM')
        ?.secret.toString()
        .endsWith('\n'),
    ).toBe(true);
    expect(
      encodings
        .find((encoding) => encoding.name === 'spki PEM, no trailing newline')
        ?.secret.toString()
        .endsWith('\n'),
    ).toBe(false);
  });

  it('spells a signature another way without changing its bytes', () => {
    const signature = decodeJws(valid).raw[2];
    const spelled = String(nonCanonical(signature));
    expect(spelled).not.toBe(signature);
    expect(Buffer.from(spelled, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    expect(nonCanonical('AAAA')).toBeUndefined();
  });
});

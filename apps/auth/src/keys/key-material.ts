import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { SigningAlg } from './signing-alg';

/** A public key as published in the JWKS: never a private member (`d`, `p`, `q`, `dp`, `dq`, `qi`). */
export interface PublicJwk {
  kty: 'RSA' | 'EC' | 'OKP';
  kid: string;
  alg: SigningAlg;
  use: 'sig';
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

/** The members RFC 7638 hashes, in its lexicographic order; also the only key material published. */
const MATERIAL: Record<PublicJwk['kty'], readonly ('n' | 'e' | 'crv' | 'x' | 'y')[]> = {
  RSA: ['e', 'n'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
};

/** What each algorithm demands of a key, checked on every load so a row cannot pair an alg with a foreign key. */
const FITS: Record<SigningAlg, (key: KeyObject) => boolean> = {
  RS256: (key) => key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048,
  ES256: (key) => key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1',
  EdDSA: (key) => key.asymmetricKeyType === 'ed25519',
};

const generate = promisify(generateKeyPair);

function newKeyPair(alg: SigningAlg) {
  switch (alg) {
    case 'RS256':
      return generate('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    case 'ES256':
      return generate('ec', { namedCurve: 'P-256' });
    case 'EdDSA':
      return generate('ed25519');
  }
}

export interface KeyMaterial {
  kid: string;
  alg: SigningAlg;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: PublicJwk;
}

/** RFC 7638 thumbprint: SHA-256 over the required members only, in order, with no whitespace. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const kty = jwk.kty as PublicJwk['kty'];
  const members = MATERIAL[kty];
  if (!members) throw new Error(`unsupported key type ${String(jwk.kty)}`);
  const canonical = JSON.stringify(Object.fromEntries([...members, 'kty' as const].sort().map((m) => [m, jwk[m]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Opens a private key and derives its public half and JWK; `kid` defaults to the thumbprint. */
export function materialFromPrivateKey(alg: SigningAlg, privateKey: KeyObject, kid?: string): KeyMaterial {
  if (!FITS[alg](privateKey)) throw new Error(`the key ${kid ?? ''} does not fit ${alg}`);
  const publicKey = createPublicKey(privateKey);
  const exported = publicKey.export({ format: 'jwk' });
  const kty = exported.kty as PublicJwk['kty'];
  const id = kid ?? jwkThumbprint(exported);
  // Built member by member from the public half, so nothing private can ride along.
  const publicJwk: PublicJwk = { kty, kid: id, alg, use: 'sig' };
  for (const member of MATERIAL[kty]) publicJwk[member] = exported[member];
  return { kid: id, alg, privateKey, publicKey, publicJwk };
}

/**
 * A fresh key pair. The kid is the RFC 7638 thumbprint: it names exactly this key material, so two
 * rows can never claim one kid for different keys, anyone holding the JWK can recompute it, and it
 * reveals nothing but the public key. It is also the HKDF salt, which ties the ciphertext to it.
 */
export async function generateSigningKey(alg: SigningAlg): Promise<KeyMaterial> {
  const { privateKey } = await newKeyPair(alg);
  return materialFromPrivateKey(alg, privateKey);
}

export function privateKeyToDer(privateKey: KeyObject): Buffer {
  return privateKey.export({ format: 'der', type: 'pkcs8' });
}

export function privateKeyFromDer(der: Buffer): KeyObject {
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

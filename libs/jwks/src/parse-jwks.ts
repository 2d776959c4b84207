import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { JWS_ALGS, type JwksKey, type JwsAlg } from './jwks.types';

/** Members only a private (or symmetric) JWK has: publishing one is a leak, never a usable key. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
const MIN_RSA_BITS = 2048;
/** Verification cost grows with the modulus; a huge one would make every request expensive. */
const MAX_RSA_BITS = 8192;
const MAX_KID_LENGTH = 256;
const MAX_REASONS = 10;

/** The document as a whole is unusable (bad shape, or not one usable key). */
export class JwksDocumentError extends Error {
  override readonly name = 'JwksDocumentError';
}

export interface ParsedJwks {
  keys: ReadonlyMap<string, JwksKey>;
  skipped: number;
  /** Why keys were skipped, for the log and `status()`; bounded so a big set cannot bloat it. */
  reasons: string[];
}

type Imported = Omit<JwksKey, 'issuer'>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJwsAlg(value: unknown): value is JwsAlg {
  return typeof value === 'string' && (JWS_ALGS as readonly string[]).includes(value);
}

/** The only algorithm each key type and curve may serve; the JWK's `alg`, if any, must agree. */
function algForKeyType(jwk: Record<string, unknown>): JwsAlg | { problem: string } {
  switch (jwk.kty) {
    case 'RSA':
      return 'RS256';
    case 'EC':
      return jwk.crv === 'P-256' ? 'ES256' : { problem: `EC curve ${JSON.stringify(jwk.crv)} is not supported` };
    case 'OKP':
      return jwk.crv === 'Ed25519' ? 'EdDSA' : { problem: `OKP curve ${JSON.stringify(jwk.crv)} is not supported` };
    default:
      return { problem: `kty ${JSON.stringify(jwk.kty)} is not supported` };
  }
}

/** Copies only the public members, so nothing unexpected reaches the key import. */
function publicMembers(jwk: Record<string, unknown>, alg: JwsAlg): JsonWebKey | undefined {
  const names = alg === 'RS256' ? ['n', 'e'] : alg === 'ES256' ? ['crv', 'x', 'y'] : ['crv', 'x'];
  const copy: JsonWebKey = { kty: jwk.kty as string };
  for (const name of names) {
    const value = jwk[name];
    if (typeof value !== 'string' || value.length === 0) return undefined;
    copy[name] = value;
  }
  return copy;
}

/** Checks what the import produced: the curve, and an RSA modulus and exponent that are safe. */
function keyProblem(key: KeyObject, alg: JwsAlg): string | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  if (alg === 'RS256') {
    if (key.asymmetricKeyType !== 'rsa') return 'not an RSA key';
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) return `RSA modulus of ${bits} bits is refused`;
    // e = 1 makes a signature equal to the padded message, so anyone could forge one.
    const e = details.publicExponent ?? 0n;
    if (e < 3n || e % 2n === 0n) return 'RSA public exponent is refused';
    return undefined;
  }
  if (alg === 'ES256') return details.namedCurve === 'prime256v1' ? undefined : 'not a P-256 key';
  return key.asymmetricKeyType === 'ed25519' ? undefined : 'not an Ed25519 key';
}

/** Imports one JWK, or says in a few words why it is skipped. */
function importJwk(jwk: unknown, allowedAlgs: readonly JwsAlg[]): Imported | string {
  if (!isRecord(jwk)) return 'not an object';
  const { kid } = jwk;
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH) return 'no usable "kid"';
  const label = `kid ${JSON.stringify(kid)}`;
  const secret = PRIVATE_MEMBERS.find((name) => Object.hasOwn(jwk, name));
  if (secret) return `${label}: carries the private member "${secret}"`;
  if (jwk.use !== undefined && jwk.use !== 'sig') return `${label}: "use" is not "sig"`;
  const ops = jwk.key_ops;
  if (ops !== undefined && !(Array.isArray(ops) && ops.includes('verify'))) {
    return `${label}: "key_ops" does not allow "verify"`;
  }
  const declared = jwk.alg;
  if (declared !== undefined && !(isJwsAlg(declared) && allowedAlgs.includes(declared))) {
    return `${label}: alg ${JSON.stringify(declared)} is not allowed`;
  }
  const alg = algForKeyType(jwk);
  if (typeof alg !== 'string') return `${label}: ${alg.problem}`;
  if (declared !== undefined && declared !== alg) return `${label}: alg ${declared} does not fit the key type`;
  if (!allowedAlgs.includes(alg)) return `${label}: alg ${alg} is not allowed`;
  const material = publicMembers(jwk, alg);
  if (!material) return `${label}: key material is missing`;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: material, format: 'jwk' });
  } catch {
    return `${label}: key material does not import`;
  }
  const problem = keyProblem(key, alg);
  return problem ? `${label}: ${problem}` : { kid, alg, key };
}

/**
 * Validates an untrusted JWKS document and imports its usable keys once. A bad key is skipped
 * with a reason, never failing the set; a set with no usable key at all is an error. A `kid`
 * published twice is ambiguous, so every key carrying it is skipped.
 */
export function parseJwks(document: unknown, issuer: string, allowedAlgs: readonly JwsAlg[]): ParsedJwks {
  if (!isRecord(document) || !Array.isArray(document.keys)) {
    throw new JwksDocumentError('the document has no "keys" array');
  }
  const keys = new Map<string, JwksKey>();
  const duplicated = new Set<string>();
  const reasons: string[] = [];
  let skipped = 0;
  const skip = (reason: string): void => {
    skipped++;
    if (reasons.length < MAX_REASONS) reasons.push(reason);
  };
  (document.keys as unknown[]).forEach((jwk, index) => {
    const imported = importJwk(jwk, allowedAlgs);
    if (typeof imported === 'string') return skip(`key ${index}: ${imported}`);
    if (keys.has(imported.kid) || duplicated.has(imported.kid)) {
      if (keys.delete(imported.kid)) skipped++;
      duplicated.add(imported.kid);
      return skip(`key ${index}: kid ${JSON.stringify(imported.kid)} is published more than once`);
    }
    keys.set(imported.kid, { issuer, ...imported });
  });
  if (keys.size === 0) {
    throw new JwksDocumentError(`no usable key (${reasons.join('; ') || 'the set is empty'})`);
  }
  return { keys, skipped, reasons };
}

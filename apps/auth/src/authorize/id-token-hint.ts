import { compactVerify, decodeProtectedHeader } from 'jose';
import type { VerificationKey } from '../keys/key-snapshot';

/** What an ID token hint tells logout: which client it was for and which session it came from. */
export interface IdTokenHint {
  clientId: string;
  sid?: string;
}

export interface HintKeys {
  verificationKey(kid: string): Promise<VerificationKey | undefined>;
}

/**
 * An ID token this server issued, checked for its signature, type and issuer but not its age:
 * OpenID Connect RP-Initiated Logout section 2 expects expired ones, and all a hint can do is end
 * a sign-in. Undefined for anything else.
 */
export async function readIdTokenHint(token: string, keys: HintKeys, issuer: string): Promise<IdTokenHint | undefined> {
  if (token.length > 8192 || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return undefined;
  try {
    const header = decodeProtectedHeader(token);
    const key = header.kid && header.typ === 'JWT' ? await keys.verificationKey(header.kid) : undefined;
    if (!key) return undefined;
    const { payload } = await compactVerify(token, key.publicKey, { algorithms: [key.alg] });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    if (claims.iss !== issuer || typeof claims.aud !== 'string') return undefined;
    return { clientId: claims.aud, ...(typeof claims.sid === 'string' ? { sid: claims.sid } : {}) };
  } catch {
    return undefined;
  }
}

import { KeyEncryption } from '@gatehouse/security';
import type { RefreshTokenEntity } from './refresh-token.entity';

/** What a rotation answered: a second use within the grace gets exactly this again. */
export interface RotatedPair {
  access_token: string;
  expires_in: number;
  scope: string;
  refresh_token: string;
}

interface SealedPair extends Omit<RotatedPair, 'expires_in'> {
  /** Seconds since the epoch: a replay answers the time the access token has left, not its first lifetime. */
  expires_at: number;
}

const PURPOSE = 'gatehouse/refresh-reuse-grace/aes-256-gcm/v1';

/**
 * The pair is sealed under a key derived from the rotated refresh token (256 random bits the
 * database holds only as a hash), with the row id as salt and AAD: a database reader cannot open
 * it, and whoever can already holds a token that is entitled to the pair for the grace period.
 */
function sealing(rotated: string): KeyEncryption {
  return new KeyEncryption(rotated, { purpose: PURPOSE, secretName: 'the rotated refresh token' });
}

export function sealPair(rotated: string, rowId: string, pair: RotatedPair, nowMs: number): string {
  const { expires_in: expiresIn, ...rest } = pair;
  const sealed: SealedPair = { ...rest, expires_at: Math.floor(nowMs / 1000) + expiresIn };
  return sealing(rotated).encrypt(rowId, Buffer.from(JSON.stringify(sealed), 'utf8'));
}

/**
 * The pair to answer again for `presented`, if its row was rotated less than the grace ago and
 * holds one; otherwise undefined and the use is a reuse. A value that does not open counts as none.
 */
export function replayWithinGrace(row: RefreshTokenEntity, presented: string, nowMs: number): RotatedPair | undefined {
  if (!row.replacedBy || !row.successorSealed || !row.reuseGraceUntil || row.reuseGraceUntil.getTime() <= nowMs) return undefined;
  try {
    const { expires_at: expiresAt, ...rest } = JSON.parse(sealing(presented).decrypt(row.id, row.successorSealed).toString('utf8')) as SealedPair;
    return { ...rest, expires_in: Math.max(expiresAt - Math.floor(nowMs / 1000), 0) };
  } catch {
    return undefined;
  }
}

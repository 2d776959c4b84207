import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url without padding: the only shape a link token has. */
export const LINK_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the table keeps of a token: its SHA-256. A token has 256 bits of entropy, so a plain hash
 * is enough (no guessing dictionary exists), and looking it up by hash compares no secret in code.
 */
export function linkTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

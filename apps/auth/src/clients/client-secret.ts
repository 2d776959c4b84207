import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Client secrets must carry at least this many characters (generated ones: 43, 256 bits). */
export const MIN_CLIENT_SECRET_LENGTH = 32;

export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 suits secrets of 256 random bits: a slow hash would only cost token throughput. */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares digests in constant time, so response timing says nothing about the secret. */
export function clientSecretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashClientSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

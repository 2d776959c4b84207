import { createHash, randomBytes } from 'node:crypto';
import { base32Encode } from './totp';

export const RECOVERY_CODE_COUNT = 10;

/** 80 random bits as 16 base32 characters in four groups: `ABCD-EFGH-IJKL-MNOP`. */
export function newRecoveryCode(): string {
  return base32Encode(randomBytes(10)).match(/.{4}/g)!.join('-');
}

/** What a person typed, in the stored form: upper case, no dashes or spaces; null when it cannot be one. */
export function normaliseRecoveryCode(typed: string): string | null {
  const clean = typed.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-Z2-7]{16}$/.test(clean) ? clean : null;
}

/**
 * The stored form: SHA-256 over the account and the code. 80 random bits need no slow hash to
 * resist a copy of the table; the account binds a code to its owner.
 */
export function hashRecoveryCode(accountId: string, normalised: string): string {
  return createHash('sha256').update(`${accountId}:${normalised}`, 'utf8').digest('hex');
}

/** Whether a submitted second factor looks like a TOTP code (else it may be a recovery code). */
export const isTotpCode = (value: string): boolean => /^\d{6}$/.test(value);

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { COMMON_PASSWORDS } from './common-passwords';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/**
 * Why a password is refused at registration, as the sentence a person reads ("The password is
 * shorter than 12 characters."); `null` when it is acceptable.
 */
export function passwordWeakness(password: string, username: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `The password is shorter than ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `The password is longer than ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'The password is a commonly used one.';
  if (/^(.)\1+$/.test(password)) return 'The password is a single repeated character.';
  if (username.length >= 3 && lower.includes(username.toLowerCase())) return 'The password contains the username.';
  return null;
}

/**
 * argon2id (the library's default algorithm and parameters). Verifying against an unknown account
 * still hashes once, against a dummy, so the answer takes as long as for a wrong password.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummy = '';

  async onModuleInit(): Promise<void> {
    this.dummy = await hash('dummy password for unknown accounts');
  }

  hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    const matched = await verify(storedHash ?? this.dummy, password).catch(() => false);
    return storedHash !== undefined && matched;
  }
}

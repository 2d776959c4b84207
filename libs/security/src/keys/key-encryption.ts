import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { StartupError } from '@gatehouse/config';

/** Stored as `v1.<iv>.<ciphertext>.<tag>`, base64url: the prefix lets a later format live beside this one. */
const VERSION = 'v1';
/** The HKDF label of auth's signing keys; another kind of key names its own, so no key opens the other's. */
const SIGNING_KEY_PURPOSE = 'gatehouse/signing-key/aes-256-gcm/v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Raised when a stored private key cannot be opened; the message says why without any key material. */
export class KeyDecryptionError extends StartupError {
  constructor(kid: string, reason: string) {
    super(`Cannot decrypt the private signing key ${kid}: ${reason}`);
    this.name = 'KeyDecryptionError';
  }
}

export interface KeyEncryptionOptions {
  /** HKDF info: what the sealed keys are for. */
  purpose?: string;
  /** The setting the secret comes from, named in errors. */
  secretName?: string;
}

/**
 * Private signing keys at rest, AES-256-GCM. Each key is sealed under its own key derived with
 * HKDF-SHA256 (salt = kid) and the kid is also the additional authenticated data, so a ciphertext
 * copied onto another row, an altered value and a wrong secret all fail authentication.
 */
export class KeyEncryption {
  private readonly secret: Buffer;
  private readonly purpose: string;
  private readonly secretName: string;

  constructor(secret: string, { purpose = SIGNING_KEY_PURPOSE, secretName = 'KEYS_ENCRYPTION_SECRET' }: KeyEncryptionOptions = {}) {
    if (secret.length < 32)
      throw StartupError.of(
        `${secretName} must be at least 32 characters`,
        [],
        `set ${secretName} to 32 random characters or more (e.g. openssl rand -base64 32)`,
      );
    this.secret = Buffer.from(secret, 'utf8');
    this.purpose = purpose;
    this.secretName = secretName;
  }

  encrypt(kid: string, plaintext: Buffer): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(kid), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(kid, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return [VERSION, ...[iv, body, cipher.getAuthTag()].map((part) => part.toString('base64url'))].join('.');
  }

  decrypt(kid: string, stored: string): Buffer {
    const parts = stored.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw new KeyDecryptionError(kid, `the stored value is not in the ${VERSION} format`);
    }
    const [iv, body, tag] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new KeyDecryptionError(kid, 'the stored value is malformed');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.keyFor(kid), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new KeyDecryptionError(
        kid,
        `authentication failed (${this.secretName} differs from the one it was encrypted with, ` + 'or the stored value was altered or belongs to another key)',
      );
    }
  }

  private keyFor(kid: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.secret, Buffer.from(kid, 'utf8'), this.purpose, 32));
  }
}

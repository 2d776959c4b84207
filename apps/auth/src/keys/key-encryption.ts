import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Stored as `v1.<iv>.<ciphertext>.<tag>`, base64url: the prefix lets a later format live beside this one. */
const VERSION = 'v1';
const HKDF_INFO = 'gatehouse/signing-key/aes-256-gcm/v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Raised when a stored private key cannot be opened; the message says why without any key material. */
export class KeyDecryptionError extends Error {
  constructor(kid: string, reason: string) {
    super(`Cannot decrypt the private signing key ${kid}: ${reason}`);
    this.name = 'KeyDecryptionError';
  }
}

/**
 * Private signing keys at rest, AES-256-GCM. Each key is sealed under its own key derived with
 * HKDF-SHA256 (salt = kid) and the kid is also the additional authenticated data, so a ciphertext
 * copied onto another row, an altered value and a wrong secret all fail authentication.
 */
export class KeyEncryption {
  private readonly secret: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('KEYS_ENCRYPTION_SECRET must be at least 32 characters');
    this.secret = Buffer.from(secret, 'utf8');
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
        'authentication failed (KEYS_ENCRYPTION_SECRET differs from the one it was encrypted with, ' +
          'or the stored value was altered or belongs to another key)',
      );
    }
  }

  private keyFor(kid: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.secret, Buffer.from(kid, 'utf8'), HKDF_INFO, 32));
  }
}

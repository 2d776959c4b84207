import { randomBytes } from 'node:crypto';
import { KeyDecryptionError, KeyEncryption } from './key-encryption';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const KID = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

/** Flips one bit of one base64url part of a stored value (1 = iv, 2 = ciphertext, 3 = tag). */
function flip(stored: string, part: 1 | 2 | 3): string {
  const parts = stored.split('.');
  const bytes = Buffer.from(parts[part], 'base64url');
  bytes[0] ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('KeyEncryption', () => {
  const encryption = new KeyEncryption(SECRET);
  const plaintext = randomBytes(1200);
  const stored = encryption.encrypt(KID, plaintext);

  it.each([
    [1, 'iv'],
    [2, 'ciphertext'],
    [3, 'tag'],
  ] as const)('refuses a value whose part %s (%s) was altered', (part, _name) => {
    expect(() => encryption.decrypt(KID, flip(stored, part))).toThrow(KeyDecryptionError);
    expect(() => encryption.decrypt(KID, flip(stored, part))).toThrow(`Cannot decrypt the private signing key ${KID}: authentication failed`);
  });

  it('refuses a value decrypted with another secret', () => {
    const other = new KeyEncryption('another-secret-of-at-least-32-characters');
    expect(() => other.decrypt(KID, stored)).toThrow(KeyDecryptionError);
  });

  it('refuses a value moved to the row of another kid', () => {
    expect(() => encryption.decrypt('another-kid', stored)).toThrow('Cannot decrypt the private signing key another-kid: authentication failed');
  });

  it.each([
    ['a clear PEM', '-----BEGIN PRIVATE KEY-----\nMIIE...'],
    ['another version', stored.replace(/^v1\./, 'v2.')],
    ['a truncated value', stored.split('.').slice(0, 3).join('.')],
  ])('refuses %s with the format named', (_, value) => {
    expect(() => encryption.decrypt(KID, value)).toThrow(`Cannot decrypt the private signing key ${KID}: the stored value is not in the v1 format`);
  });

  it('refuses a shortened tag as malformed', () => {
    const [version, iv, body] = stored.split('.');
    expect(() => encryption.decrypt(KID, [version, iv, body, 'AAAA'].join('.'))).toThrow('the stored value is malformed');
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => new KeyEncryption('short')).toThrow('KEYS_ENCRYPTION_SECRET must be at least 32 characters');
  });

  it('round-trips, in the versioned format, with a fresh iv each time', () => {
    expect(stored).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(encryption.decrypt(KID, stored).equals(plaintext)).toBe(true);
    const again = encryption.encrypt(KID, plaintext);
    expect(again).not.toBe(stored);
    expect(new KeyEncryption(SECRET).decrypt(KID, again).equals(plaintext)).toBe(true);
  });
});

import { hkdfSync } from 'node:crypto';
import type { FactoryProvider } from '@nestjs/common';
import { APP_RUNTIME, type AppRuntime } from '@gatehouse/config';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { AuthSettings } from '../auth.settings';
import { devSecretFolder, loadOrCreateDevSecret } from '../keys/encryption-secret';
import { KeyEncryption } from '../keys/key-encryption';
import { PendingLogins } from './pending-login';

/** HKDF labels: TOTP secrets and pending logins each get their own key, never a signing key's. */
const TOTP_PURPOSE = 'gatehouse/totp-secret/aes-256-gcm/v1';
const PENDING_LOGIN_PURPOSE = 'gatehouse/pending-login/hmac-sha256/v1';

/**
 * TOTP secrets must be read back to check a code, so they cannot be hashed: they are sealed like
 * private signing keys (AES-256-GCM under a key derived from `KEYS_ENCRYPTION_SECRET`, the account
 * id as salt and additional data, so a sealed secret copied to another account does not open).
 */
export class MfaSecrets {
  readonly pendingLogins: PendingLogins;
  private readonly sealing: KeyEncryption;

  constructor(secret: string) {
    this.sealing = new KeyEncryption(secret, { purpose: TOTP_PURPOSE });
    this.pendingLogins = new PendingLogins(Buffer.from(hkdfSync('sha256', secret, 'gatehouse', PENDING_LOGIN_PURPOSE, 32)));
  }

  seal(accountId: string, totpSecret: Buffer): string {
    return this.sealing.encrypt(accountId, totpSecret);
  }

  open(accountId: string, sealed: string): Buffer {
    return this.sealing.decrypt(accountId, sealed);
  }
}

export const mfaSecretsProvider: FactoryProvider<MfaSecrets> = {
  provide: MfaSecrets,
  inject: [AuthSettings, APP_RUNTIME, APP_LOGGER],
  useFactory: (settings: AuthSettings, runtime: AppRuntime, logger: Logger) =>
    new MfaSecrets(settings.KEYS_ENCRYPTION_SECRET ?? loadOrCreateDevSecret(devSecretFolder(settings, runtime), logger)),
};

import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A device an account has logged in from (the device cookie of a browser, the device token of an
 * API client). The credential holds 256 random bits; the row is keyed by their SHA-256, so a copy
 * of the table recognises no device. The account is named as a login names it (tenant and case
 * folded username), so a credential is matched before anything about the account is read.
 */
@Entity({ name: 'login_devices' })
export class LoginDeviceEntity {
  /** SHA-256 of the credential, hex. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  /** The username as logins compare it: lower case. */
  @Column({ name: 'username_key', type: 'text' })
  usernameKey!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz' })
  lastUsedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}

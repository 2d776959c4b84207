import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An account's TOTP enrolment; unconfirmed until a first code proves the app holds the secret. */
@Entity({ name: 'mfa_totp' })
export class TotpEnrolmentEntity {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  /** The secret sealed with AES-256-GCM under a key derived from `KEYS_ENCRYPTION_SECRET` (see MfaSecrets). */
  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed!: string;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  /** The time step of the last code accepted: that code and every earlier one are spent. */
  @Column({ name: 'last_used_step', type: 'bigint', nullable: true })
  lastUsedStep!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One recovery code, stored as its SHA-256 (they are 80 random bits: no slow hash needed). */
@Entity({ name: 'mfa_recovery_codes' })
export class RecoveryCodeEntity {
  @PrimaryColumn({ name: 'code_hash', type: 'text' })
  codeHash!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}

import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type LinkPurpose = 'password_reset' | 'email_verification';

/** A link sent by mail: only the SHA-256 of its token is kept; usable once, until it expires. */
@Entity({ name: 'account_links' })
export class AccountLinkEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ type: 'text' })
  purpose!: LinkPurpose;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  /** The address the link was sent to: a verification counts only while the account still has it. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

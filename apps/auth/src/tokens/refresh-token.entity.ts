import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One refresh token of a family. Only the SHA-256 of the token is stored. Every use replaces it
 * with a new one of the same family; presenting a replaced token revokes the whole family.
 */
@Entity({ name: 'refresh_tokens' })
export class RefreshTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ name: 'family_id', type: 'uuid' })
  familyId!: string;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ type: 'text' })
  scope!: string;

  /** The session the family belongs to; access tokens carry it as `sid`. */
  @Column({ type: 'text' })
  sid!: string;

  /** How and when the person of the family signed in; the access tokens of every rotation say it. */
  @Column({ type: 'text', array: true, default: () => "'{pwd}'" })
  amr!: string[];

  /** Null on families started before this was recorded: their tokens carry no `auth_time`. */
  @Column({ name: 'auth_time', type: 'timestamptz', nullable: true })
  authTime!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'idle_expires_at', type: 'timestamptz' })
  idleExpiresAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'replaced_by', type: 'uuid', nullable: true })
  replacedBy!: string | null;

  /** Until when a second use of this (rotated) token answers the pair of its rotation. */
  @Column({ name: 'reuse_grace_until', type: 'timestamptz', nullable: true })
  reuseGraceUntil!: Date | null;

  /** That pair, sealed under a key derived from this token, which is stored only as a hash. */
  @Column({ name: 'successor_sealed', type: 'text', nullable: true })
  successorSealed!: string | null;

  /** The access token issued with this refresh token, so that revoking the family revokes it too. */
  @Column({ name: 'access_jti', type: 'text', nullable: true })
  accessJti!: string | null;

  @Column({ name: 'access_expires_at', type: 'timestamptz', nullable: true })
  accessExpiresAt!: Date | null;
}

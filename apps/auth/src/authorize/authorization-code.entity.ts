import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An authorization code, keyed by its SHA-256 (the code itself is never stored), bound to all the
 * request decided: client, redirect URI, PKCE challenge, nonce, scope and the sign-in session.
 * Once used it stays, marked, until it expires: a second use must find what the first issued.
 */
@Entity({ name: 'authorization_codes' })
export class AuthorizationCodeEntity {
  @PrimaryColumn({ name: 'code_hash', type: 'text' })
  codeHash!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  /** The sign-in session (a session id) the code was issued under. */
  @Column({ type: 'text' })
  sid!: string;

  @Column({ name: 'redirect_uri', type: 'text' })
  redirectUri!: string;

  @Column({ name: 'code_challenge', type: 'text' })
  codeChallenge!: string;

  @Column({ type: 'text', nullable: true })
  nonce!: string | null;

  @Column({ type: 'text' })
  scope!: string;

  /** When the person last proved who they are in that session (the ID token's `auth_time`). */
  @Column({ name: 'auth_time', type: 'timestamptz' })
  authTime!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  /** Set by a second use: whichever of the two finishes last revokes what the first issued. */
  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt!: Date | null;

  @Column({ name: 'access_jti', type: 'text', nullable: true })
  accessJti!: string | null;

  @Column({ name: 'access_expires_at', type: 'timestamptz', nullable: true })
  accessExpiresAt!: Date | null;

  @Column({ name: 'refresh_family_id', type: 'uuid', nullable: true })
  refreshFamilyId!: string | null;
}

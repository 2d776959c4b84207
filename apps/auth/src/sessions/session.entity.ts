import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A browser session (`POST /auth/session`). The cookie holds a secret of 256 random bits; the row
 * is keyed by its SHA-256, so a copy of the table opens no session. Times come from the sessions'
 * clock, never the database's, so a test can move time instead of waiting out a lifetime.
 */
@Entity({ name: 'sessions' })
export class SessionEntity {
  /** SHA-256 of the secret, hex; also the `sid` introspection answers. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  /** The first-party client the login went through. */
  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ type: 'text' })
  scope!: string;

  /** When the person authenticated (`auth_time`), and with what (RFC 8176 `amr`). */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'text', array: true, default: () => "'{pwd}'" })
  amr!: string[];

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  /** Slides forward on every use, never past `expiresAt`. */
  @Column({ name: 'idle_expires_at', type: 'timestamptz' })
  idleExpiresAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** The browser's User-Agent at login (capped), so the person can tell their sessions apart. */
  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  /** The client's address at login, as the trusted proxies tell it. */
  @Column({ type: 'text', nullable: true })
  ip!: string | null;
}

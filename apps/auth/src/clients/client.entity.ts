import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const GRANT_TYPES = ['password', 'client_credentials', 'refresh_token', 'authorization_code'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/**
 * An OAuth client. Confidential when it has a secret (stored as a SHA-256 digest: secrets are
 * generated with at least 256 bits, so a slow hash would only cost throughput); public otherwise:
 * a browser or native app that can keep no secret, whose only proof at the token endpoint is PKCE.
 * `tenantId` null marks a platform client, which belongs to no tenant.
 */
@Entity({ name: 'clients' })
export class ClientEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId!: string | null;

  @Column({ name: 'secret_hash', type: 'text', nullable: true })
  secretHash!: string | null;

  @Column({ name: 'grant_types', type: 'text', array: true })
  grantTypes!: GrantType[];

  /** Compared by exact string at `/oauth/authorize` (any port only on a loopback http one). */
  @Column({ name: 'redirect_uris', type: 'text', array: true })
  redirectUris!: string[];

  /** Where RP-initiated logout may send the browser back to, compared by exact string. */
  @Column({ name: 'post_logout_redirect_uris', type: 'text', array: true })
  postLogoutRedirectUris!: string[];

  /** Browser origins answered with CORS at the token, userinfo and revocation endpoints. */
  @Column({ name: 'allowed_origins', type: 'text', array: true })
  allowedOrigins!: string[];

  @Column({ type: 'text', array: true })
  scopes!: string[];

  @Column({ type: 'text', nullable: true })
  audience!: string | null;

  @Column({ name: 'token_format', type: 'text' })
  tokenFormat!: 'jwt' | 'opaque';

  @Column({ name: 'first_party', type: 'boolean' })
  firstParty!: boolean;

  /** May introspect any token (the gateway, resource servers), not only its own. */
  @Column({ type: 'boolean' })
  introspect!: boolean;

  @Column({ type: 'text' })
  status!: 'active' | 'disabled';

  @Column({ name: 'secret_rotated_at', type: 'timestamptz', nullable: true })
  secretRotatedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  get confidential(): boolean {
    return this.secretHash !== null;
  }
}

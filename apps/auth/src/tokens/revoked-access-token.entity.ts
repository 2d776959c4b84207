import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A revoked access token, kept until it would have expired anyway. */
@Entity({ name: 'revoked_access_tokens' })
export class RevokedAccessTokenEntity {
  @PrimaryColumn({ type: 'text' })
  jti!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz' })
  revokedAt!: Date;
}

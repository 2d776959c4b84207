import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { SigningAlg } from './signing-alg';

/**
 * A signing key's life: `next` (published in the JWKS, not yet signing), `active` (signing), then
 * `retired` (published until every token it signed has expired, `unpublish_at`).
 */
export type SigningKeyStatus = 'next' | 'active' | 'retired';

@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  @Column({ type: 'text' })
  alg!: SigningAlg;

  /** The public JWK as published: `kty`, key material, `kid`, `alg`, `use`. */
  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, string>;

  /** PKCS#8 DER, encrypted with KEYS_ENCRYPTION_SECRET (see key-encryption.ts). */
  @Column({ name: 'private_key', type: 'text' })
  privateKey!: string;

  @Column({ type: 'text' })
  status!: SigningKeyStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'activates_at', type: 'timestamptz' })
  activatesAt!: Date;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  @Column({ name: 'unpublish_at', type: 'timestamptz', nullable: true })
  unpublishAt!: Date | null;
}

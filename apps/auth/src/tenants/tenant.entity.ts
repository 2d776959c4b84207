import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type TenantStatus = 'active' | 'suspended';

/** An external identity provider whose tokens authenticate this tenant's requests only. */
export interface TenantIdentityProvider {
  issuer: string;
  jwksUri: string;
  audience: string;
  rolesClaim: string;
}

@Entity({ name: 'tenants' })
export class TenantEntity {
  /** A slug: lower-case letters, digits and dashes. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  status!: TenantStatus;

  @Column({ type: 'text' })
  plan!: string;

  @Column({ name: 'identity_provider', type: 'jsonb', nullable: true })
  identityProvider!: TenantIdentityProvider | null;

  /** The scopes its clients may hold; null: the platform's default, `TENANT_CLIENT_SCOPES`. */
  @Column({ name: 'allowed_scopes', type: 'text', array: true, nullable: true })
  allowedScopes!: string[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

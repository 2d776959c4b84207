import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type TenantStatus = 'active' | 'suspended';
/** Who must sign in with a second factor: nobody, the tenant's administrators, or everyone. */
export const MFA_REQUIREMENTS = ['off', 'admins', 'all'] as const;
export type MfaRequirement = (typeof MFA_REQUIREMENTS)[number];

/** An external identity provider whose tokens authenticate this tenant's requests only. */
export interface TenantIdentityProvider {
  issuer: string;
  jwksUri: string;
  audience: string;
  rolesClaim: string;
  /**
   * Whether tokens typed `JWT` pass as access tokens, besides RFC 9068's `at+jwt`. Many providers
   * type their access tokens so; declaring it is the operator's choice, never the default, since
   * their ID tokens are typed the same. Absent on providers declared before it existed: false.
   */
  acceptTypJwt?: boolean;
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

  /** Its users sign in only once their email address is verified (see mail links). */
  @Column({ name: 'require_email_verification', type: 'boolean', default: false })
  requireEmailVerification!: boolean;

  @Column({ name: 'mfa_required', type: 'text', default: 'off' })
  mfaRequired!: MfaRequirement;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

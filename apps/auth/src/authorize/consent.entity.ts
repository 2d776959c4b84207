import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a person allowed a third-party client, remembered until they withdraw it. */
@Entity({ name: 'consents' })
export class ConsentEntity {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @PrimaryColumn({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ type: 'text', array: true })
  scopes!: string[];

  @Column({ name: 'granted_at', type: 'timestamptz' })
  grantedAt!: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What happened, to whom, from where. `details` never holds a token, a password or a secret. */
@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  outcome!: 'success' | 'failure';

  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId!: string | null;

  @Column({ name: 'client_id', type: 'text', nullable: true })
  clientId!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId!: string | null;

  /** W3C trace id (32 hex digits) of the request that caused the event. */
  @Column({ name: 'trace_id', type: 'text', nullable: true })
  traceId!: string | null;

  /** `auth`, or the platform client of the app that reported the event (`gateway`, `users-service`, ...). */
  @Column({ type: 'text', default: 'auth' })
  source!: string;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

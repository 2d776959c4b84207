import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail of every app, queried by operators: where a row comes from (`source`: auth, or
 * the client of the app that reported it), the correlation and trace ids, and indexes for the
 * newest-first pages (by tenant or not) and the retention purge (by age).
 */
export class AuditTrailFields1763800005000 implements MigrationInterface {
  name = 'AuditTrailFields1763800005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`ALTER TABLE ${s}."audit_events" ADD COLUMN "source" text NOT NULL DEFAULT 'auth'`);
    await queryRunner.query(`ALTER TABLE ${s}."audit_events" ADD COLUMN "correlation_id" text`);
    await queryRunner.query(`ALTER TABLE ${s}."audit_events" ADD COLUMN "trace_id" text`);
    await queryRunner.query(`CREATE INDEX "audit_events_tenant_id_idx" ON ${s}."audit_events" ("tenant_id", "id")`);
    await queryRunner.query(`CREATE INDEX "audit_events_created_idx" ON ${s}."audit_events" ("created_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`DROP INDEX ${s}."audit_events_created_idx"`);
    await queryRunner.query(`DROP INDEX ${s}."audit_events_tenant_id_idx"`);
    for (const column of ['trace_id', 'correlation_id', 'source']) await queryRunner.query(`ALTER TABLE ${s}."audit_events" DROP COLUMN "${column}"`);
  }
}

import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Consents to third-party clients, one row per person and client. */
export class Consents1763800000800 implements MigrationInterface {
  name = 'Consents1763800000800';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}."consents" (
        "account_id" uuid NOT NULL REFERENCES ${s}."accounts" ("id") ON DELETE CASCADE,
        "client_id" text NOT NULL REFERENCES ${s}."clients" ("id") ON DELETE CASCADE,
        "tenant_id" text NOT NULL REFERENCES ${s}."tenants" ("id"),
        "scopes" text[] NOT NULL,
        "granted_at" timestamptz NOT NULL,
        PRIMARY KEY ("account_id", "client_id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}"."consents"`);
  }
}

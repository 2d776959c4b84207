import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Browser sessions, keyed by the SHA-256 of their secret (the secret itself is never stored). */
export class CreateSessions1763800000200 implements MigrationInterface {
  name = 'CreateSessions1763800000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}."sessions" (
        "id" text PRIMARY KEY CHECK ("id" ~ '^[0-9a-f]{64}$'),
        "tenant_id" text NOT NULL REFERENCES ${s}."tenants" ("id"),
        "account_id" uuid NOT NULL REFERENCES ${s}."accounts" ("id"),
        "client_id" text NOT NULL REFERENCES ${s}."clients" ("id"),
        "scope" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "last_seen_at" timestamptz NOT NULL,
        "idle_expires_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz,
        CHECK ("idle_expires_at" <= "expires_at")
      )`);
    await queryRunner.query(`CREATE INDEX "sessions_account_idx" ON ${s}."sessions" ("tenant_id", "account_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}"."sessions"`);
  }
}

import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Devices an account has logged in from, keyed by the SHA-256 of their credential (never the
 * credential), and the device and address each browser session was opened from.
 */
export class LoginDevices1763800001000 implements MigrationInterface {
  name = 'LoginDevices1763800001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}."login_devices" (
        "id" text PRIMARY KEY CHECK ("id" ~ '^[0-9a-f]{64}$'),
        "tenant_id" text NOT NULL REFERENCES ${s}."tenants" ("id"),
        "account_id" uuid NOT NULL REFERENCES ${s}."accounts" ("id"),
        "username_key" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "last_used_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX "login_devices_account_idx" ON ${s}."login_devices" ("tenant_id", "account_id")`);
    await queryRunner.query(`ALTER TABLE ${s}."sessions" ADD COLUMN "user_agent" text, ADD COLUMN "ip" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`ALTER TABLE ${s}."sessions" DROP COLUMN "ip", DROP COLUMN "user_agent"`);
    await queryRunner.query(`DROP TABLE ${s}."login_devices"`);
  }
}

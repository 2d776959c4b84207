import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Second factors: one TOTP enrolment per account (its secret sealed, the last step used so a code
 * is never accepted twice), its recovery codes (hashed), the tenant's requirement, and how each
 * session and refresh family was authenticated, so tokens minted later say it (`amr`, `auth_time`).
 */
export class Mfa1763800003000 implements MigrationInterface {
  name = 'Mfa1763800003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}."mfa_totp" (
        "account_id" uuid PRIMARY KEY REFERENCES ${s}."accounts" ("id") ON DELETE CASCADE,
        "tenant_id" text NOT NULL REFERENCES ${s}."tenants" ("id"),
        "secret_sealed" text NOT NULL,
        "confirmed_at" timestamptz,
        "last_used_step" bigint,
        "created_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}."mfa_recovery_codes" (
        "code_hash" text PRIMARY KEY,
        "account_id" uuid NOT NULL REFERENCES ${s}."accounts" ("id") ON DELETE CASCADE,
        "tenant_id" text NOT NULL REFERENCES ${s}."tenants" ("id"),
        "used_at" timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX "mfa_recovery_codes_account_idx" ON ${s}."mfa_recovery_codes" ("account_id")`);
    await queryRunner.query(
      `ALTER TABLE ${s}."tenants" ADD COLUMN "mfa_required" text NOT NULL DEFAULT 'off' CHECK ("mfa_required" IN ('off', 'admins', 'all'))`,
    );
    await queryRunner.query(`ALTER TABLE ${s}."sessions" ADD COLUMN "amr" text[] NOT NULL DEFAULT '{pwd}'`);
    await queryRunner.query(`ALTER TABLE ${s}."refresh_tokens" ADD COLUMN "amr" text[] NOT NULL DEFAULT '{pwd}'`);
    await queryRunner.query(`ALTER TABLE ${s}."refresh_tokens" ADD COLUMN "auth_time" timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`ALTER TABLE ${s}."refresh_tokens" DROP COLUMN "auth_time"`);
    await queryRunner.query(`ALTER TABLE ${s}."refresh_tokens" DROP COLUMN "amr"`);
    await queryRunner.query(`ALTER TABLE ${s}."sessions" DROP COLUMN "amr"`);
    await queryRunner.query(`ALTER TABLE ${s}."tenants" DROP COLUMN "mfa_required"`);
    await queryRunner.query(`DROP TABLE ${s}."mfa_recovery_codes"`);
    await queryRunner.query(`DROP TABLE ${s}."mfa_totp"`);
  }
}

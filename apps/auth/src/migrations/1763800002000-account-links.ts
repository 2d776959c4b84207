import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Links sent by mail (password reset, email verification), stored as SHA-256 only; when each
 * account's address was verified (null for every existing one: nothing verified it); and whether
 * a tenant requires a verified address to sign in (no existing tenant does).
 */
export class AccountLinks1763800002000 implements MigrationInterface {
  name = 'AccountLinks1763800002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`ALTER TABLE ${s}."accounts" ADD COLUMN "email_verified_at" timestamptz NULL`);
    await queryRunner.query(`ALTER TABLE ${s}."tenants" ADD COLUMN "require_email_verification" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`
      CREATE TABLE ${s}."account_links" (
        "token_hash" text PRIMARY KEY,
        "purpose" text NOT NULL,
        "tenant_id" text NOT NULL,
        "account_id" uuid NOT NULL REFERENCES ${s}."accounts" ("id") ON DELETE CASCADE,
        "email" text NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "account_links_account_idx" ON ${s}."account_links" ("account_id", "purpose")`);
    await queryRunner.query(`CREATE INDEX "account_links_expires_idx" ON ${s}."account_links" ("expires_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`DROP TABLE ${s}."account_links"`);
    await queryRunner.query(`ALTER TABLE ${s}."tenants" DROP COLUMN "require_email_verification"`);
    await queryRunner.query(`ALTER TABLE ${s}."accounts" DROP COLUMN "email_verified_at"`);
  }
}

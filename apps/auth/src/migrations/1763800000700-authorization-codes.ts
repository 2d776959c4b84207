import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Authorization codes, keyed by the SHA-256 of the code; used ones are kept until they expire. */
export class AuthorizationCodes1763800000700 implements MigrationInterface {
  name = 'AuthorizationCodes1763800000700';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}."authorization_codes" (
        "code_hash" text PRIMARY KEY CHECK ("code_hash" ~ '^[0-9a-f]{64}$'),
        "tenant_id" text NOT NULL REFERENCES ${s}."tenants" ("id"),
        "client_id" text NOT NULL REFERENCES ${s}."clients" ("id"),
        "account_id" uuid NOT NULL REFERENCES ${s}."accounts" ("id"),
        "sid" text NOT NULL,
        "redirect_uri" text NOT NULL,
        "code_challenge" text NOT NULL,
        "nonce" text,
        "scope" text NOT NULL,
        "auth_time" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        "replayed_at" timestamptz,
        "access_jti" text,
        "access_expires_at" timestamptz,
        "refresh_family_id" uuid
      )`);
    await queryRunner.query(`CREATE INDEX "authorization_codes_expiry_idx" ON ${s}."authorization_codes" ("expires_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}"."authorization_codes"`);
  }
}

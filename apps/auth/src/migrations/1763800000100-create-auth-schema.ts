import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenants, accounts, clients, signing keys, refresh tokens, revoked access tokens, audit events. */
export class CreateAuthSchema1763800000100 implements MigrationInterface {
  name = 'CreateAuthSchema1763800000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}."tenants" (
        "id" text PRIMARY KEY CHECK ("id" ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        "name" text NOT NULL,
        "status" text NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'suspended')),
        "plan" text NOT NULL DEFAULT 'free',
        "identity_provider" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}."accounts" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "tenant_id" text NOT NULL REFERENCES ${s}."tenants" ("id"),
        "username" text NOT NULL,
        "email" text NOT NULL,
        "password_hash" text NOT NULL,
        "roles" text[] NOT NULL DEFAULT '{}',
        "status" text NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'disabled')),
        "password_changed_at" timestamptz NOT NULL DEFAULT now(),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "accounts_username_idx" ON ${s}."accounts" ("tenant_id", lower("username"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "accounts_email_idx" ON ${s}."accounts" ("tenant_id", lower("email"))`);
    await queryRunner.query(`
      CREATE TABLE ${s}."clients" (
        "id" text PRIMARY KEY CHECK ("id" ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'),
        "tenant_id" text REFERENCES ${s}."tenants" ("id"),
        "secret_hash" text,
        "grant_types" text[] NOT NULL DEFAULT '{}',
        "redirect_uris" text[] NOT NULL DEFAULT '{}',
        "scopes" text[] NOT NULL DEFAULT '{}',
        "audience" text,
        "token_format" text NOT NULL DEFAULT 'jwt' CHECK ("token_format" IN ('jwt', 'opaque')),
        "first_party" boolean NOT NULL DEFAULT false,
        "introspect" boolean NOT NULL DEFAULT false,
        "status" text NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'disabled')),
        "secret_rotated_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}."signing_keys" (
        "kid" text PRIMARY KEY,
        "alg" text NOT NULL CHECK ("alg" IN ('RS256', 'ES256', 'EdDSA')),
        "public_jwk" jsonb NOT NULL,
        "private_key" text NOT NULL,
        "status" text NOT NULL CHECK ("status" IN ('next', 'active', 'retired')),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "activates_at" timestamptz NOT NULL,
        "retired_at" timestamptz,
        "unpublish_at" timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}."refresh_tokens" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "token_hash" text NOT NULL UNIQUE,
        "family_id" uuid NOT NULL,
        "client_id" text NOT NULL REFERENCES ${s}."clients" ("id"),
        "account_id" uuid NOT NULL REFERENCES ${s}."accounts" ("id"),
        "tenant_id" text NOT NULL,
        "scope" text NOT NULL,
        "sid" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "last_used_at" timestamptz,
        "idle_expires_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz,
        "replaced_by" uuid,
        "access_jti" text,
        "access_expires_at" timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX "refresh_tokens_family_idx" ON ${s}."refresh_tokens" ("family_id")`);
    await queryRunner.query(`
      CREATE TABLE ${s}."revoked_access_tokens" (
        "jti" text PRIMARY KEY,
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}."audit_events" (
        "id" bigserial PRIMARY KEY,
        "type" text NOT NULL,
        "outcome" text NOT NULL CHECK ("outcome" IN ('success', 'failure')),
        "actor" text,
        "tenant_id" text,
        "client_id" text,
        "ip" text,
        "request_id" text,
        "details" jsonb NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "audit_events_tenant_idx" ON ${s}."audit_events" ("tenant_id", "created_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    for (const table of ['audit_events', 'revoked_access_tokens', 'refresh_tokens', 'signing_keys', 'clients', 'accounts', 'tenants']) {
      await queryRunner.query(`DROP TABLE ${s}."${table}"`);
    }
  }
}

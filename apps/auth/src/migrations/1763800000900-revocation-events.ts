import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The revocation feed the gateways follow: one row per event, in commit order of `seq`. */
export class RevocationEvents1763800000900 implements MigrationInterface {
  name = 'RevocationEvents1763800000900';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}."revocation_events" (
        "seq" bigserial PRIMARY KEY,
        "kind" text NOT NULL,
        "value" text NOT NULL,
        "issued_before" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "revocation_events_expires_idx" ON ${s}."revocation_events" ("expires_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`DROP TABLE ${s}."revocation_events"`);
  }
}

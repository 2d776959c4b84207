import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What a browser or native client declares: where logout may return to, and its CORS origins. */
export class ClientBrowserFields1763800000600 implements MigrationInterface {
  name = 'ClientBrowserFields1763800000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(
      `ALTER TABLE ${s}."clients" ADD COLUMN "post_logout_redirect_uris" text[] NOT NULL DEFAULT '{}', ADD COLUMN "allowed_origins" text[] NOT NULL DEFAULT '{}'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`ALTER TABLE ${s}."clients" DROP COLUMN "allowed_origins", DROP COLUMN "post_logout_redirect_uris"`);
  }
}

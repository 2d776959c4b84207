import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The refresh reuse grace: a rotated token remembers until when a second use of it answers the
 * same pair, and that pair sealed under a key only the rotated token itself yields.
 */
export class RefreshReuseGrace1763800000500 implements MigrationInterface {
  name = 'RefreshReuseGrace1763800000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`ALTER TABLE ${s}."refresh_tokens" ADD COLUMN "reuse_grace_until" timestamptz, ADD COLUMN "successor_sealed" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`ALTER TABLE ${s}."refresh_tokens" DROP COLUMN "successor_sealed", DROP COLUMN "reuse_grace_until"`);
  }
}

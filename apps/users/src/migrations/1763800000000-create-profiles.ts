import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProfiles1763800000000 implements MigrationInterface {
  name = 'CreateProfiles1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${schema}"."profiles" (
        "tenant_id" text NOT NULL,
        "id" text NOT NULL,
        "username" text NOT NULL,
        "email" text,
        "display_name" text NOT NULL,
        "locale" text NOT NULL DEFAULT 'en',
        "avatar_url" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "profiles_pkey" PRIMARY KEY ("tenant_id", "id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}"."profiles"`);
  }
}

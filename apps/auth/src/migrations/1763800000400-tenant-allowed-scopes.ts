import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each tenant's allowed scopes; null (every existing tenant) follows `TENANT_CLIENT_SCOPES`. */
export class TenantAllowedScopes1763800000400 implements MigrationInterface {
  name = 'TenantAllowedScopes1763800000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "${schemaOf(queryRunner)}"."tenants" ADD COLUMN "allowed_scopes" text[] NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "${schemaOf(queryRunner)}"."tenants" DROP COLUMN "allowed_scopes"`);
  }
}

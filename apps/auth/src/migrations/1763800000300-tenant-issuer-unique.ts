import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One tenant per external issuer: the gateway picks the tenant of a token by its `iss`, so two
 * tenants sharing one would make it ambiguous. The services check first for a clear answer; the
 * index holds when two writers race. Same expression as `issuerKey` (trailing slashes ignored).
 */
export class TenantIssuerUnique1763800000300 implements MigrationInterface {
  name = 'TenantIssuerUnique1763800000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`CREATE UNIQUE INDEX "tenants_identity_provider_issuer_idx" ON ${s}."tenants" (rtrim("identity_provider" ->> 'issuer', '/'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "${schemaOf(queryRunner)}"."tenants_identity_provider_issuer_idx"`);
  }
}

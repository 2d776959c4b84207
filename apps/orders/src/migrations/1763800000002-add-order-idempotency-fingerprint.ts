import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddOrderIdempotencyFingerprint1763800000002 implements MigrationInterface {
  name = 'AddOrderIdempotencyFingerprint1763800000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    // A retry must carry the same request as the first use of its key; the digest of that request
    // is what a retry is compared with, so a key never exists without one.
    await queryRunner.query(`ALTER TABLE "${schema}"."orders" ADD COLUMN "idempotency_fingerprint" text`);
    await queryRunner.query(`
      ALTER TABLE "${schema}"."orders" ADD CONSTRAINT "orders_idempotency_fingerprint_check"
      CHECK (("idempotency_key" IS NULL) = ("idempotency_fingerprint" IS NULL))`);
    // An administrator lists the whole tenant, newest first; the owner index does not serve that.
    await queryRunner.query(`CREATE INDEX "orders_tenant_created_idx" ON "${schema}"."orders" ("tenant_id", "created_at", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`DROP INDEX "${schema}"."orders_tenant_created_idx"`);
    await queryRunner.query(`ALTER TABLE "${schema}"."orders" DROP CONSTRAINT "orders_idempotency_fingerprint_check"`);
    await queryRunner.query(`ALTER TABLE "${schema}"."orders" DROP COLUMN "idempotency_fingerprint"`);
  }
}

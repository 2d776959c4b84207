import { schemaOf } from '@gatehouse/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1763800000001 implements MigrationInterface {
  name = 'CreateOrders1763800000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${schema}"."orders" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" text NOT NULL,
        "owner_id" text NOT NULL,
        "status" text NOT NULL CHECK ("status" IN ('placed', 'cancelled')),
        "currency" char(3) NOT NULL,
        "total_minor" bigint NOT NULL CHECK ("total_minor" >= 0),
        "idempotency_key" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "orders_tenant_owner_idx" ON "${schema}"."orders" ("tenant_id", "owner_id", "created_at")`);
    // A retry with the same key by the same owner must find the first order, never create another.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "orders_idempotency_idx" ON "${schema}"."orders" ("tenant_id", "owner_id", "idempotency_key")
       WHERE "idempotency_key" IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE "${schema}"."order_items" (
        "order_id" uuid NOT NULL REFERENCES "${schema}"."orders" ("id") ON DELETE CASCADE,
        "line" int NOT NULL,
        "sku" text NOT NULL,
        "quantity" int NOT NULL CHECK ("quantity" > 0),
        "unit_price_minor" bigint NOT NULL CHECK ("unit_price_minor" >= 0),
        CONSTRAINT "order_items_pkey" PRIMARY KEY ("order_id", "line")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${schema}"."order_items"`);
    await queryRunner.query(`DROP TABLE "${schema}"."orders"`);
  }
}

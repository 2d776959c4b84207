import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DataSource, type FindOptionsWhere, In, QueryFailedError, type Repository } from 'typeorm';
import type { Idempotency } from './idempotency';
import { OrderItemEntity } from './order-item.entity';
import type { OrderScope } from './order-scope';
import { OrderEntity } from './order.entity';

export interface NewOrder {
  tenantId: string;
  ownerId: string;
  currency: string;
  totalMinor: number;
  items: readonly { sku: string; quantity: number; unitPriceMinor: number }[];
  idempotency: Idempotency | null;
}

export interface Page {
  limit: number;
  /** The id of the last order of the previous page. */
  before?: string;
}

const IDEMPOTENCY_INDEX = 'orders_idempotency_idx';

/** A unique violation of the idempotency index: a concurrent request with the same key won. */
function isIdempotencyKeyTaken(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: unknown; constraint?: unknown };
  return driverError.code === '23505' && driverError.constraint === IDEMPOTENCY_INDEX;
}

function whereOf(scope: OrderScope): FindOptionsWhere<OrderEntity> {
  return scope.ownerId === null ? { tenantId: scope.tenantId } : { tenantId: scope.tenantId, ownerId: scope.ownerId };
}

/** Orders, always within a scope or a tenant: no method reads or writes an order by id alone. */
@Injectable()
export class OrdersRepository {
  private readonly orders: Repository<OrderEntity>;
  private readonly items: Repository<OrderItemEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.orders = dataSource.getRepository(OrderEntity);
    this.items = dataSource.getRepository(OrderItemEntity);
  }

  /** Null also for an order outside the scope, and for an id that is no UUID (so never an SQL error). */
  find(scope: OrderScope, id: string): Promise<OrderEntity | null> {
    if (!isUUID(id)) return Promise.resolve(null);
    return this.orders.findOne({ where: { ...whereOf(scope), id }, relations: { items: true } });
  }

  findByIdempotencyKey(tenantId: string, ownerId: string, key: string): Promise<OrderEntity | null> {
    return this.orders.findOne({ where: { tenantId, ownerId, idempotencyKey: key }, relations: { items: true } });
  }

  /** Newest first; an order id as `before` that is outside the scope yields an empty page. */
  async list(scope: OrderScope, page: Page): Promise<OrderEntity[]> {
    const query = this.orders.createQueryBuilder('o').where('o.tenantId = :tenantId', { tenantId: scope.tenantId });
    if (scope.ownerId !== null) query.andWhere('o.ownerId = :ownerId', { ownerId: scope.ownerId });
    if (page.before !== undefined) {
      // Compared in SQL: timestamptz has microseconds, a JavaScript Date only milliseconds.
      const anchor = query.subQuery().select('a.createdAt').addSelect('a.id').from(OrderEntity, 'a').where('a.id = :before AND a.tenantId = :tenantId');
      if (scope.ownerId !== null) anchor.andWhere('a.ownerId = :ownerId');
      query.andWhere(`(o.createdAt, o.id) < ${anchor.getQuery()}`, { before: page.before });
    }
    const orders = await query.orderBy('o.createdAt', 'DESC').addOrderBy('o.id', 'DESC').limit(page.limit).getMany();
    if (orders.length === 0) return orders;
    const items = await this.items.findBy({ orderId: In(orders.map((order) => order.id)) });
    for (const order of orders) order.items = items.filter((item) => item.orderId === order.id);
    return orders;
  }

  /** The stored order, or null when a concurrent request with the same idempotency key stored one first. */
  async insert(order: NewOrder): Promise<OrderEntity | null> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const saved = await manager.save(
          manager.create(OrderEntity, {
            tenantId: order.tenantId,
            ownerId: order.ownerId,
            status: 'placed',
            currency: order.currency,
            totalMinor: String(order.totalMinor),
            idempotencyKey: order.idempotency?.key ?? null,
            idempotencyFingerprint: order.idempotency?.fingerprint ?? null,
          }),
        );
        const items = order.items.map((item, line) =>
          manager.create(OrderItemEntity, { orderId: saved.id, line, sku: item.sku, quantity: item.quantity, unitPriceMinor: String(item.unitPriceMinor) }),
        );
        await manager.insert(OrderItemEntity, items);
        saved.items = items;
        return saved;
      });
    } catch (error) {
      if (isIdempotencyKeyTaken(error)) return null;
      throw error;
    }
  }

  /** One conditional update, so of two concurrent cancellations exactly one succeeds. */
  async cancel(scope: OrderScope, id: string): Promise<boolean> {
    const result = await this.orders.update({ ...whereOf(scope), id, status: 'placed' }, { status: 'cancelled' });
    return (result.affected ?? 0) > 0;
  }
}

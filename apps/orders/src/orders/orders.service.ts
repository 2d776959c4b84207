import { Injectable } from '@nestjs/common';
import { DomainError, type Principal } from '@gatehouse/contracts';
import { tenantOf } from '@gatehouse/security';
import { type Idempotency, idempotencyOf } from './idempotency';
import { type CreateOrderDto, type ListOrdersQuery, ORDER_LIMITS } from './order.dto';
import type { OrderEntity } from './order.entity';
import { totalMinorOf } from './order-money';
import { scopeOf } from './order-scope';
import { orderView, type OrderView } from './order-view';
import { OrdersRepository } from './orders.repository';
import { OwnerProfiles } from './owner-profiles';

export interface PlacedOrder {
  order: OrderView;
  /** True when an earlier request with the same Idempotency-Key placed this order. */
  replayed: boolean;
}

function checkReplay(earlier: OrderEntity, idempotency: Idempotency): OrderEntity {
  if (earlier.idempotencyFingerprint !== idempotency.fingerprint) {
    throw new DomainError('conflict', 'Idempotency-Key reused with another request', {}, 'This Idempotency-Key was used with a different request.');
  }
  return earlier;
}

@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly owners: OwnerProfiles,
  ) {}

  /**
   * Places an order owned by the caller. With an Idempotency-Key, a retry of the same request
   * answers the order the first one placed (as it is now: cancelled, if it was cancelled since),
   * and the key with another request is a conflict. Keys are the caller's own: two users of one
   * tenant may use the same key independently.
   */
  async place(principal: Principal, input: CreateOrderDto, idempotencyKey: string | undefined): Promise<PlacedOrder> {
    const tenantId = tenantOf(principal);
    const ownerId = principal.subject;
    const totalMinor = totalMinorOf(input.items);
    const idempotency = idempotencyOf(idempotencyKey, input);
    if (idempotency) {
      const earlier = await this.orders.findByIdempotencyKey(tenantId, ownerId, idempotency.key);
      if (earlier) return { order: await this.view(checkReplay(earlier, idempotency)), replayed: true };
    }
    const created = await this.orders.insert({ tenantId, ownerId, currency: input.currency, totalMinor, items: input.items, idempotency });
    if (created) return { order: await this.view(created), replayed: false };
    // Only the idempotency index refuses an insert: a concurrent request with the same key
    // committed between the lookup and the insert, and its order is the answer.
    const winner = idempotency && (await this.orders.findByIdempotencyKey(tenantId, ownerId, idempotency.key));
    if (!idempotency || !winner) throw new Error('the idempotency index refused the order, yet no order holds its key');
    return { order: await this.view(checkReplay(winner, idempotency)), replayed: true };
  }

  /** The caller's orders; an administrator's are the tenant's. Newest first. */
  async list(principal: Principal, query: ListOrdersQuery): Promise<OrderView[]> {
    const orders = await this.orders.list(scopeOf(principal), { limit: query.limit ?? ORDER_LIMITS.page, before: query.before });
    const owners = await this.owners.of(
      tenantOf(principal),
      orders.map((order) => order.ownerId),
    );
    return orders.map((order) => orderView(order, owners.get(order.ownerId) ?? { id: order.ownerId, unknown: true }));
  }

  /** With `includeOwner`, users' failure to answer fails the request (503) instead of marking the owner unavailable. */
  async get(principal: Principal, id: string, includeOwner = false): Promise<OrderView> {
    return this.view(await this.visible(principal, id), includeOwner);
  }

  /** Only a placed order can be cancelled; cancelling twice is a conflict, not a no-op. */
  async cancel(principal: Principal, id: string): Promise<OrderView> {
    const order = await this.visible(principal, id);
    if (order.status !== 'placed' || !(await this.orders.cancel(scopeOf(principal), id))) {
      throw new DomainError('conflict', `order ${id} is no longer placed`, {}, 'Only a placed order can be cancelled.');
    }
    return this.view({ ...order, status: 'cancelled' });
  }

  private async view(order: OrderEntity, strict = false): Promise<OrderView> {
    const owners = await this.owners.of(order.tenantId, [order.ownerId], { strict });
    return orderView(order, owners.get(order.ownerId) ?? { id: order.ownerId, unknown: true });
  }

  private async visible(principal: Principal, id: string): Promise<OrderEntity> {
    const order = await this.orders.find(scopeOf(principal), id);
    if (!order) throw new DomainError('not_found', `order ${id} is not visible to ${principal.subject}`);
    return order;
  }
}

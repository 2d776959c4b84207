import type { OrderItemEntity } from './order-item.entity';
import type { OrderEntity, OrderStatus } from './order.entity';
import { minorFromColumn } from './order-money';

export interface OrderItemView {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

/**
 * What the API shows of an order: never its idempotency key or fingerprint.
 * The owner's profile (`owner`, DESIGN.md 7b) is added here once orders asks users for it over
 * the transport; every answer of the service is built by `orderView`, so that is the one place.
 */
export interface OrderView {
  id: string;
  tenantId: string;
  ownerId: string;
  status: OrderStatus;
  currency: string;
  items: OrderItemView[];
  totalMinor: number;
  createdAt: string;
}

function itemView(item: OrderItemEntity): OrderItemView {
  return { sku: item.sku, quantity: item.quantity, unitPriceMinor: minorFromColumn(item.unitPriceMinor) };
}

export function orderView(order: OrderEntity): OrderView {
  const items = [...order.items].sort((a, b) => a.line - b.line);
  return {
    id: order.id,
    tenantId: order.tenantId,
    ownerId: order.ownerId,
    status: order.status,
    currency: order.currency,
    items: items.map(itemView),
    totalMinor: minorFromColumn(order.totalMinor),
    createdAt: order.createdAt.toISOString(),
  };
}

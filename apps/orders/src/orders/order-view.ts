import type { OrderItemEntity } from './order-item.entity';
import type { OrderEntity, OrderStatus } from './order.entity';
import { minorFromColumn } from './order-money';
import type { OwnerView } from './owner-profiles';

export interface OrderItemView {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

/**
 * What the API shows of an order: never its idempotency key or fingerprint, and
 * with the owner's profile as users reported it.
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
  owner: OwnerView;
}

function itemView(item: OrderItemEntity): OrderItemView {
  return { sku: item.sku, quantity: item.quantity, unitPriceMinor: minorFromColumn(item.unitPriceMinor) };
}

export function orderView(order: OrderEntity, owner: OwnerView): OrderView {
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
    owner,
  };
}

import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { OrderEntity } from './order.entity';

@Entity({ name: 'order_items' })
export class OrderItemEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @PrimaryColumn({ type: 'int' })
  line!: number;

  @Column({ type: 'text' })
  sku!: string;

  @Column({ type: 'int' })
  quantity!: number;

  @Column({ name: 'unit_price_minor', type: 'bigint' })
  unitPriceMinor!: string;

  // Named by string, so the two entities do not import each other as values.
  @ManyToOne('OrderEntity', 'items', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order!: OrderEntity;
}

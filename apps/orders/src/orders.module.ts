import { type DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@gatehouse/persistence';
import { GatehouseResourceModule } from '@gatehouse/security';
import { TransportModule } from '@gatehouse/transport';
import { UsersHealthController } from './health/users-health.controller';
import { CreateOrders1763800000001 } from './migrations/1763800000001-create-orders';
import { AddOrderIdempotencyFingerprint1763800000002 } from './migrations/1763800000002-add-order-idempotency-fingerprint';
import { OrderItemEntity } from './orders/order-item.entity';
import { OrderEntity } from './orders/order.entity';
import { OrdersController } from './orders/orders.controller';
import { OrdersRepository } from './orders/orders.repository';
import { OrdersService } from './orders/orders.service';
import { OwnerProfiles } from './orders/owner-profiles';
import { UsersClient } from './orders/users.client';

@Module({})
export class OrdersModule {
  static register(kit: DynamicModule): DynamicModule {
    return {
      module: OrdersModule,
      imports: [
        kit,
        PersistenceModule.forApp({
          entities: [OrderEntity, OrderItemEntity],
          migrations: [CreateOrders1763800000001, AddOrderIdempotencyFingerprint1763800000002],
        }),
        TransportModule.forApp({ targets: ['users'] }),
        GatehouseResourceModule.forService('orders', { calls: ['users'] }),
      ],
      controllers: [OrdersController, UsersHealthController],
      providers: [UsersClient, OwnerProfiles, OrdersRepository, OrdersService],
    };
  }
}

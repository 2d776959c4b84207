import type { AppDefinition } from '@gatehouse/app-kit';
import { BODY_LIMIT } from '@gatehouse/contracts';
import { OrdersModule } from './orders.module';
import { OrdersSettings } from './orders.settings';

export const ordersApp: AppDefinition<OrdersSettings> = {
  name: 'orders',
  settings: OrdersSettings,
  port: (settings) => settings.ORDERS_PORT,
  module: (kit) => OrdersModule.register(kit),
  docs: { title: 'Gatehouse orders', description: 'Tenant-scoped orders. Reached through the gateway.' },
  bodyLimit: BODY_LIMIT.orders,
};

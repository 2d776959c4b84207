import { type DynamicModule, Module } from '@nestjs/common';
import { RedisModule } from '@gatehouse/persistence';
import { GatewaySettings } from './gateway.settings';
import { GatewayPipeline } from './proxy/gateway-pipeline';
import { ProxyController } from './proxy/proxy.controller';
import { UpstreamPools } from './proxy/upstream-pool';
import { RouteTable } from './routes/route-table';

@Module({})
export class GatewayModule {
  static register(kit: DynamicModule): DynamicModule {
    return {
      module: GatewayModule,
      imports: [kit, RedisModule],
      controllers: [ProxyController],
      providers: [
        // Loaded while the app starts: a bad routes file refuses the start, naming route and field.
        { provide: RouteTable, inject: [GatewaySettings], useFactory: (settings: GatewaySettings) => RouteTable.load(settings) },
        UpstreamPools,
        GatewayPipeline,
      ],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { RedisModule } from '@gatehouse/persistence';

@Module({})
export class GatewayModule {
  static register(kit: DynamicModule): DynamicModule {
    return { module: GatewayModule, imports: [kit, RedisModule] };
  }
}

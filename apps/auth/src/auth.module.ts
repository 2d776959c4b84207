import { type DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@gatehouse/persistence';
import { TransportModule } from '@gatehouse/transport';

@Module({})
export class AuthModule {
  static register(kit: DynamicModule): DynamicModule {
    return {
      module: AuthModule,
      imports: [kit, PersistenceModule.forApp({ entities: [], migrations: [] }), TransportModule.forApp()],
    };
  }
}

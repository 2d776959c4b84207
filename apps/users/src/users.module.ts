import { type DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@gatehouse/persistence';
import { TransportModule } from '@gatehouse/transport';
import { UsersMessagesController } from './messages/users-messages.controller';
import { PingService } from './messages/ping.service';
import { CreateProfiles1763800000000 } from './migrations/1763800000000-create-profiles';
import { ProfileEntity } from './profiles/profile.entity';

@Module({})
export class UsersModule {
  static register(kit: DynamicModule): DynamicModule {
    return {
      module: UsersModule,
      imports: [
        kit,
        PersistenceModule.forApp({ entities: [ProfileEntity], migrations: [CreateProfiles1763800000000] }),
        TransportModule.forApp({ serves: 'users' }),
      ],
      controllers: [UsersMessagesController],
      providers: [PingService],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@gatehouse/persistence';
import { GatehouseResourceModule } from '@gatehouse/security';
import { TransportModule } from '@gatehouse/transport';
import { UsersMessagesController } from './messages/users-messages.controller';
import { PingService } from './messages/ping.service';
import { CreateProfiles1763800000000 } from './migrations/1763800000000-create-profiles';
import { ProfileEntity } from './profiles/profile.entity';
import { ProfilesController } from './profiles/profiles.controller';
import { ProfilesRepository } from './profiles/profiles.repository';
import { ProfilesService } from './profiles/profiles.service';

@Module({})
export class UsersModule {
  static register(kit: DynamicModule): DynamicModule {
    return {
      module: UsersModule,
      imports: [
        kit,
        PersistenceModule.forApp({ entities: [ProfileEntity], migrations: [CreateProfiles1763800000000] }),
        TransportModule.forApp({ serves: 'users' }),
        GatehouseResourceModule.forService('users'),
      ],
      controllers: [ProfilesController, UsersMessagesController],
      providers: [PingService, ProfilesRepository, ProfilesService],
    };
  }
}

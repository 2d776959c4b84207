import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RevocationEventEntity } from './revocation-event.entity';
import { RevocationFeed } from './revocation-feed.service';
import { RevocationsController } from './revocations.controller';

/** The read side of the revocation feed; `RevocationEvents` (the write side) is in the OAuth module. */
@Module({
  imports: [TypeOrmModule.forFeature([RevocationEventEntity])],
  controllers: [RevocationsController],
  providers: [RevocationFeed],
})
export class RevocationsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAuthModule } from '../oauth/oauth.module';
import { AuditAdminController } from './audit-admin.controller';
import { AuditEventEntity } from './audit-event.entity';
import { AuditIntake } from './audit-intake';
import { AuditIntakeController } from './audit-intake.controller';
import { AuditQuery } from './audit-query.service';
import { AuditRetention } from './audit-retention';

/**
 * The audit trail as operators use it: events reported by the gateway and the services over the
 * transport, `/admin/audit` and its JSON-lines export, and the retention purge. (Auth writes its
 * own events through AuditTrail, provided by OAuthModule.)
 */
@Module({
  imports: [OAuthModule, TypeOrmModule.forFeature([AuditEventEntity])],
  controllers: [AuditAdminController, AuditIntakeController],
  providers: [AuditIntake, AuditQuery, AuditRetention],
})
export class AuditModule {}

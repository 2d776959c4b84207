import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientEntity } from '../clients/client.entity';
import { TenantEntity } from '../tenants/tenant.entity';
import { RegistryController } from './registry.controller';
import { Registry } from './registry.service';

/** What the gateway reads of auth besides tokens (its audit trail comes from the global OAuthModule). */
@Module({
  imports: [TypeOrmModule.forFeature([ClientEntity, TenantEntity])],
  controllers: [RegistryController],
  providers: [Registry],
})
export class RegistryModule {}

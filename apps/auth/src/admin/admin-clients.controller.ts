import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@gatehouse/contracts';
import { CurrentPrincipal } from '@gatehouse/security';
import { AdminEndpoint } from './admin-endpoint.decorator';
import { ClientResponse, ClientWithSecretResponse } from './admin.responses';
import type { ClientView } from './admin-views';
import { CreateClientDto, TenantQueryDto } from './admin.dto';
import { type ClientWithSecret, ClientsAdmin } from './clients-admin.service';

@ApiTags('admin')
@Controller('admin/clients')
export class AdminClientsController {
  constructor(private readonly clients: ClientsAdmin) {}

  @Get()
  @ApiOkResponse({ type: [ClientResponse] })
  @AdminEndpoint('List clients (platform: all or one tenant; tenant admin: their tenant)')
  list(@CurrentPrincipal() principal: Principal, @Query() query: TenantQueryDto): Promise<ClientView[]> {
    return this.clients.list(principal, query.tenant);
  }

  @Post()
  @ApiCreatedResponse({ type: ClientWithSecretResponse })
  @AdminEndpoint('Create a client; a confidential client gets its secret in this answer only')
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateClientDto): Promise<ClientWithSecret> {
    return this.clients.create(principal, input);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: ClientResponse })
  @AdminEndpoint('Disable a client: it can no longer obtain or refresh tokens')
  disable(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ClientView> {
    return this.clients.disable(principal, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({ type: ClientWithSecretResponse })
  @AdminEndpoint('Replace a client secret; the new one is in this answer only')
  rotateSecret(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ClientWithSecret> {
    return this.clients.rotateSecret(principal, id);
  }
}

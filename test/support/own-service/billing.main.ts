// A team's own service, as docs/ADD-A-SERVICE.md writes it: the package's suite copies this file
// into a fresh Nest app outside the workspace, installs @gatehouse/resource from its tarball,
// compiles and starts it. Settings come from the environment the suite gives it.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Authenticated, CurrentPrincipal, GatehouseResourceModule, type Principal, Public, Roles, Scopes, ServiceTokenClient } from '@gatehouse/resource';

@Controller('billing')
class BillingController {
  constructor(private readonly tokens: ServiceTokenClient) {}

  @Public()
  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }

  @Authenticated()
  @Get('whoami')
  whoami(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Roles('billing-admin')
  @Get('invoices')
  invoices(@CurrentPrincipal() principal: Principal): { tenantId?: string; invoices: { id: string; total: number }[] } {
    return { tenantId: principal.tenantId, invoices: [{ id: 'inv-1', total: 4200 }] };
  }

  @Scopes('billing:write')
  @Get('refunds')
  refunds(): { refunds: [] } {
    return { refunds: [] };
  }

  // Declares nothing: the deny-by-default guard refuses it, whoever calls.
  @Get('forgotten')
  forgotten(): { leaked: boolean } {
    return { leaked: true };
  }

  /** This service's own token, from the auth server (client_credentials), as it would send it on. */
  @Authenticated()
  @Get('service-token')
  async serviceToken(): Promise<Record<string, unknown>> {
    const token = await this.tokens.token();
    return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
  }
}

@Module({
  imports: [
    GatehouseResourceModule.forRoot({
      service: 'billing',
      gatewayJwksUrl: process.env.GATEHOUSE_GATEWAY_JWKS_URL,
      authUrl: process.env.GATEHOUSE_AUTH_URL,
      authIssuer: process.env.GATEHOUSE_AUTH_ISSUER,
      clientSecret: process.env.BILLING_SERVICE_SECRET,
    }),
  ],
  controllers: [BillingController],
})
class BillingModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BillingModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.stdout.write(`billing listening on ${await app.getUrl()}\n`);
}

void main();

import { type DynamicModule, Module } from '@nestjs/common';
import { RedisModule } from '@gatehouse/persistence';
import { gatewayAuditPublisher } from './audit/audit-publisher.provider';
import { AccessTokenVerifier } from './authn/access-token.verifier';
import { ExternalIssuers } from './authn/external-issuers';
import { IntrospectionVerifier } from './authn/introspection.verifier';
import { IssuerKeys } from './authn/issuer-keys';
import { SessionVerifier } from './authn/session.verifier';
import { GatewaySettings } from './gateway.settings';
import { AuthenticateStep } from './pipeline/authenticate.step';
import { AuthorizeRouteStep } from './pipeline/authorize-route.step';
import { GatewayPipeline } from './pipeline/gateway-pipeline';
import { MatchRouteStep } from './pipeline/match-route.step';
import { ResolveTenantStep } from './pipeline/resolve-tenant.step';
import { StepUpStep } from './pipeline/step-up.step';
import { ThrottleStep } from './pipeline/throttle.step';
import { IdentityPropagation } from './propagation/identity-propagation';
import { InternalJwksController } from './propagation/internal-jwks.controller';
import { internalKeyRingProvider } from './propagation/internal-key-ring.provider';
import { InternalTokenMinter } from './propagation/internal-token.minter';
import { Forwarder } from './proxy/forwarder';
import { ProxyRoute } from './proxy/proxy.route';
import { UpstreamErrors } from './proxy/upstream-errors';
import { UpstreamPools } from './proxy/upstream-pool';
import { RevocationFeed } from './revocation/revocation-feed';
import { RevocationHealth } from './revocation/revocation-health';
import { RouteTable } from './routes/route-table';
import { CrossTenantReporter } from './tenancy/cross-tenant-reporter';
import { TenantRegistry } from './tenancy/tenant-registry';
import { RateLimitCounters } from './throttling/rate-limit-counters';

@Module({})
export class GatewayModule {
  static register(kit: DynamicModule): DynamicModule {
    return {
      module: GatewayModule,
      imports: [kit, RedisModule],
      // The gateway's own; the proxy path is ProxyRoute, served by Fastify directly (gateway.app.ts).
      controllers: [InternalJwksController],
      providers: [
        // Loaded while the app starts: a bad routes file refuses the start, naming route and field.
        { provide: RouteTable, inject: [GatewaySettings], useFactory: (settings: GatewaySettings) => RouteTable.load(settings) },
        IssuerKeys,
        RevocationFeed,
        RevocationHealth,
        ExternalIssuers,
        IntrospectionVerifier,
        SessionVerifier,
        AccessTokenVerifier,
        TenantRegistry,
        gatewayAuditPublisher,
        CrossTenantReporter,
        RateLimitCounters,
        MatchRouteStep,
        AuthenticateStep,
        ResolveTenantStep,
        ThrottleStep,
        AuthorizeRouteStep,
        StepUpStep,
        GatewayPipeline,
        internalKeyRingProvider,
        InternalTokenMinter,
        IdentityPropagation,
        UpstreamErrors,
        UpstreamPools,
        Forwarder,
        ProxyRoute,
      ],
    };
  }
}

import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@gatehouse/security';
import { AuthSettings } from '../auth.settings';
import { SUPPORTED_GRANTS } from '../oauth/token-endpoint.service';

const CLIENT_AUTH = ['client_secret_basic', 'client_secret_post'];

/**
 * RFC 8414 metadata, served under both well-known names. Lists only what the server really does,
 * and never an empty array; endpoints are under the issuer, the gateway's public origin.
 */
@ApiTags('discovery')
@Controller('.well-known')
export class DiscoveryController {
  constructor(private readonly settings: AuthSettings) {}

  @Public()
  @Get('oauth-authorization-server')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414)' })
  @ApiOkResponse({ description: 'The metadata document' })
  oauthMetadata(): Record<string, unknown> {
    return this.metadata();
  }

  @Public()
  @Get('openid-configuration')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'The same metadata at the OpenID Connect discovery path' })
  @ApiOkResponse({ description: 'The metadata document' })
  openidConfiguration(): Record<string, unknown> {
    return this.metadata();
  }

  private metadata(): Record<string, unknown> {
    const issuer = this.settings.AUTH_ISSUER.replace(/\/$/, '');
    return {
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      grant_types_supported: SUPPORTED_GRANTS,
      token_endpoint_auth_methods_supported: [...CLIENT_AUTH, 'none'],
      introspection_endpoint_auth_methods_supported: CLIENT_AUTH,
      revocation_endpoint_auth_methods_supported: CLIENT_AUTH,
      access_token_signing_alg_values_supported: [this.settings.SIGNING_ALG],
    };
  }
}

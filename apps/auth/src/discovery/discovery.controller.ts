import { Controller, Get, Header } from '@nestjs/common';
import { ACR_VALUES } from '@gatehouse/contracts';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@gatehouse/security';
import { AuthSettings } from '../auth.settings';
import { OIDC_SCOPES } from '../authorize/oidc-scopes';
import { SUPPORTED_GRANTS } from '../oauth/token-endpoint.service';
import { AuthorizationServerMetadata } from './metadata.response';

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
  @ApiOkResponse({ type: AuthorizationServerMetadata })
  oauthMetadata(): Record<string, unknown> {
    return this.metadata();
  }

  @Public()
  @Get('openid-configuration')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'The same metadata at the OpenID Connect discovery path' })
  @ApiOkResponse({ type: AuthorizationServerMetadata })
  openidConfiguration(): Record<string, unknown> {
    return this.metadata();
  }

  private metadata(): Record<string, unknown> {
    const issuer = this.settings.AUTH_ISSUER.replace(/\/$/, '');
    return {
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      userinfo_endpoint: `${issuer}/oauth/userinfo`,
      end_session_endpoint: `${issuer}/oauth/logout`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      grant_types_supported: SUPPORTED_GRANTS,
      token_endpoint_auth_methods_supported: [...CLIENT_AUTH, 'none'],
      introspection_endpoint_auth_methods_supported: CLIENT_AUTH,
      revocation_endpoint_auth_methods_supported: CLIENT_AUTH,
      access_token_signing_alg_values_supported: [this.settings.SIGNING_ALG],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [this.settings.SIGNING_ALG],
      code_challenge_methods_supported: ['S256'],
      prompt_values_supported: ['none', 'login', 'consent'],
      scopes_supported: [...new Set([...OIDC_SCOPES, ...this.settings.tenantClientScopes])],
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'nonce',
        'sid',
        'amr',
        'acr',
        'azp',
        'at_hash',
        'preferred_username',
        'tenant_id',
        'roles',
        'email',
        'email_verified',
      ],
      // The classes `acr_values` may ask for (a password alone, or with a second factor).
      acr_values_supported: [...ACR_VALUES],
      // RFC 9207: the authorization response names the issuer, so a client talking to several cannot be mixed up.
      authorization_response_iss_parameter_supported: true,
    };
  }
}

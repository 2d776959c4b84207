import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUrl, Length, Matches, MaxLength } from 'class-validator';
import type { TenantIdentityProvider } from './tenant.entity';

// require_tld off: a provider on a private host name or on 127.0.0.1 (tests, on-premises) is valid.
const HTTP_URL: Parameters<typeof IsUrl>[0] = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
const CLAIM_PATH = /^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*$/;

export const DEFAULT_ROLES_CLAIM = 'roles';

/**
 * An external identity provider of one tenant, as the bootstrap file and the Admin API declare it.
 * Only the shape is checked here; the rules that depend on settings or on other tenants (not the
 * platform's own issuer, https in production, one tenant per issuer) live in the services.
 */
export class IdentityProviderDto {
  @ApiProperty({ example: 'https://login.acme.example/realms/acme', maxLength: 512, description: 'The `iss` its tokens carry' })
  @IsString()
  @MaxLength(512)
  @IsUrl(HTTP_URL, { message: 'issuer must be an http(s) URL' })
  issuer!: string;

  @ApiProperty({ example: 'https://login.acme.example/realms/acme/protocol/openid-connect/certs', maxLength: 512, description: 'https in production' })
  @IsString()
  @MaxLength(512)
  @IsUrl(HTTP_URL, { message: 'jwksUri must be an http(s) URL' })
  jwksUri!: string;

  @ApiProperty({ example: 'gatehouse-api', minLength: 1, maxLength: 256, description: 'The `aud` its tokens must carry' })
  @IsString()
  @Length(1, 256)
  audience!: string;

  @ApiPropertyOptional({ example: 'realm_access.roles', default: DEFAULT_ROLES_CLAIM, maxLength: 256, description: 'Dot path of the claim holding the roles' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @Matches(CLAIM_PATH, { message: 'rolesClaim must be a claim name or a dot path such as realm_access.roles' })
  rolesClaim?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Also accept tokens typed `JWT` (many providers type their access tokens so); by default only `at+jwt` (RFC 9068) passes',
  })
  @IsOptional()
  @IsBoolean()
  acceptTypJwt?: boolean;
}

/** The stored form: every field present, so the gateway never guesses a default. */
export function toIdentityProvider(input: IdentityProviderDto): TenantIdentityProvider {
  return {
    issuer: input.issuer,
    jwksUri: input.jwksUri,
    audience: input.audience,
    rolesClaim: input.rolesClaim ?? DEFAULT_ROLES_CLAIM,
    acceptTypJwt: input.acceptTypJwt ?? false,
  };
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 6749 section 5.1, as the token endpoint and `/auth/login` answer it. */
export class OAuthTokenResponse {
  @ApiProperty({ description: 'A JWT (RFC 9068)' }) access_token!: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type!: string;
  @ApiProperty({ description: 'Seconds the access token lives' }) expires_in!: number;
  @ApiProperty({ description: 'The granted scopes, space-separated' }) scope!: string;
  @ApiPropertyOptional({ description: 'Not for client_credentials' }) refresh_token?: string;
  @ApiPropertyOptional({ description: 'OpenID Connect: when openid was granted by the authorization code grant' }) id_token?: string;
  @ApiPropertyOptional({
    description: 'Password grant extension: the device credential; send it back as device_token on the next password login of this account',
  })
  device_token?: string;
}

/**
 * RFC 7662 section 2.2. Anything not active is exactly `{"active":false}`; an active access token
 * carries its claims, an active refresh token (token_type refresh_token) fewer of them.
 */
export class TokenIntrospectionResponse {
  @ApiProperty() active!: boolean;
  @ApiPropertyOptional({ enum: ['Bearer', 'refresh_token'] }) token_type?: string;
  @ApiPropertyOptional() iss?: string;
  @ApiPropertyOptional() sub?: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }) aud?: string | string[];
  @ApiPropertyOptional({ description: 'Seconds since the epoch' }) exp?: number;
  @ApiPropertyOptional({ description: 'Seconds since the epoch' }) iat?: number;
  @ApiPropertyOptional({ description: 'Seconds since the epoch' }) nbf?: number;
  @ApiPropertyOptional() jti?: string;
  @ApiPropertyOptional() client_id?: string;
  @ApiPropertyOptional({ description: 'Space-separated' }) scope?: string;
  @ApiPropertyOptional({ type: [String] }) roles?: string[];
  @ApiPropertyOptional() tenant_id?: string;
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional({ description: 'The browser session the token belongs to' }) sid?: string;
}

/** RFC 7009: the same empty object whether the token was revoked or unknown. */
export class RevocationResponse {}

/** OpenID Connect Core section 5.3.2: the claims the token's scopes release. */
export class UserInfoResponse {
  @ApiProperty() sub!: string;
  @ApiPropertyOptional({ description: 'scope profile' }) preferred_username?: string;
  @ApiPropertyOptional({ description: 'scope profile' }) tenant_id?: string;
  @ApiPropertyOptional({ type: [String], description: 'scope profile' }) roles?: string[];
  @ApiPropertyOptional({ description: 'scope email' }) email?: string;
  @ApiPropertyOptional({ description: 'scope email; true once a mailed link (verification or password reset) reached the address' }) email_verified?: boolean;
}

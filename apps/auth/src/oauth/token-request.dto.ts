import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** The parameters of `POST /oauth/token`; which ones a grant needs is checked by the grant. */
export class TokenRequestDto {
  @IsString() @IsNotEmpty() @MaxLength(64) grant_type!: string;
  @IsOptional() @IsString() @MaxLength(1024) scope?: string;
  @IsOptional() @IsString() @MaxLength(128) client_id?: string;
  @IsOptional() @IsString() @MaxLength(512) client_secret?: string;
  @IsOptional() @IsString() @MaxLength(256) username?: string;
  @IsOptional() @IsString() @MaxLength(1024) password?: string;
  /** Which tenant `username` belongs to, for a first-party client that belongs to no tenant. */
  @IsOptional() @IsString() @MaxLength(64) tenant?: string;
  /**
   * Extension of the password grant for first-party clients: the second factor of an enrolled
   * account, a TOTP code or a recovery code. Without it such an account is refused (`invalid_grant`).
   */
  @IsOptional() @IsString() @MaxLength(32) otp?: string;
  @IsOptional() @IsString() @MaxLength(512) refresh_token?: string;
  @IsOptional() @IsString() @MaxLength(128) code?: string;
  @IsOptional() @IsString() @MaxLength(2000) redirect_uri?: string;
  @IsOptional() @IsString() @MaxLength(128) code_verifier?: string;
  /** Password grant extension: the device credential an earlier login of this account returned. */
  @IsOptional() @IsString() @MaxLength(128) device_token?: string;
}

/** The token response of RFC 6749 section 5.1. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  /** OpenID Connect: when the `openid` scope was granted by the authorization code grant. */
  id_token?: string;
  /**
   * Password grant extension: the device credential to send back as `device_token` on the next
   * password grant of this account, so no attacker can lock this client out (see LoginLimits).
   */
  device_token?: string;
}

/** The parameters of `POST /oauth/introspect` (RFC 7662) and `POST /oauth/revoke` (RFC 7009). */
export class TokenReferenceDto {
  @IsString() @IsNotEmpty() @MaxLength(8192) token!: string;
  @IsOptional() @IsString() @MaxLength(64) token_type_hint?: string;
  @IsOptional() @IsString() @MaxLength(128) client_id?: string;
  @IsOptional() @IsString() @MaxLength(512) client_secret?: string;
}

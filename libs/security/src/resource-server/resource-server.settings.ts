import { CommonSettings, Setting } from '@gatehouse/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

const HTTP_URL = /^https?:\/\/\S+$/;
export const IDENTITY_PROPAGATIONS = ['internal-token', 'headers', 'pass-through'] as const;
export type IdentityPropagation = (typeof IDENTITY_PROPAGATIONS)[number];

/**
 * Settings of a resource service (users, orders): how it learns who calls, which must match the
 * gateway's `IDENTITY_PROPAGATION`, and where the keys it verifies with are published.
 */
export class ResourceServerSettings extends CommonSettings {
  @Setting() @IsIn(IDENTITY_PROPAGATIONS) IDENTITY_PROPAGATION: IdentityPropagation = 'internal-token';
  /** `iss` of the gateway's internal tokens. */
  @Setting() @IsString() @MinLength(1) GATEWAY_INTERNAL_ISSUER: string = 'gatehouse-gateway';
  /** Default: the gateway on this host, `GATEWAY_PORT`, `/.well-known/internal-jwks.json`. */
  @Setting() @IsOptional() @Matches(HTTP_URL, { message: 'GATEWAY_INTERNAL_JWKS_URL must be an http(s) URL' }) GATEWAY_INTERNAL_JWKS_URL?: string;
  /** The exact `iss` of access and service tokens; must equal the auth app's. */
  @Setting() @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'AUTH_ISSUER must be an http(s) URL' }) AUTH_ISSUER: string = 'http://127.0.0.1:3000';
  @Setting() @IsString() @MinLength(1) API_AUDIENCE: string = 'gatehouse-api';
  /** Default: the auth app on this host, `AUTH_PORT`; its JWKS and token endpoint are found there. */
  @Setting() @IsOptional() @Matches(HTTP_URL, { message: 'AUTH_INTERNAL_URL must be an http(s) URL' }) AUTH_INTERNAL_URL?: string;
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. */
  @Setting() @IsInt() @Min(0) @Max(300) JWT_CLOCK_LEEWAY: number = 30;
  @Setting() @IsInt() @Min(5) @Max(86_400) JWKS_TTL: number = 300;
  @Setting() @IsInt() @Min(0) @Max(86_400) JWKS_MAX_STALE: number = 3600;

  get internalJwksUrl(): string {
    return this.GATEWAY_INTERNAL_JWKS_URL ?? `http://127.0.0.1:${this.GATEWAY_PORT}/.well-known/internal-jwks.json`;
  }

  get authUrl(): string {
    return (this.AUTH_INTERNAL_URL ?? `http://127.0.0.1:${this.AUTH_PORT}`).replace(/\/$/, '');
  }

  get authJwksUrl(): string {
    return `${this.authUrl}/.well-known/jwks.json`;
  }

  /** The secret of this service's client at the auth app, from the app's own setting. */
  serviceSecret(): string | undefined {
    return undefined;
  }
}

import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';

// RFC 6749 section A.4-like: printable ASCII without space, quote or backslash.
const ACR_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;

export const AUTH_MODES = ['public', 'jwt', 'introspection', 'session'] as const;
export const TENANT_SOURCES = ['subdomain', 'path', 'header', 'claim'] as const;
export const RATE_LIMIT_CLASSES = ['default', 'auth', 'public'] as const;
export const UPSTREAM_SETTINGS = ['AUTH_INTERNAL_URL', 'USERS_URL', 'ORDERS_URL'] as const;
export const PROPAGATION_MODES = ['internal-token', 'headers', 'pass-through'] as const;
/** The service behind each upstream setting: the `aud` of the internal tokens sent to it. */
export const UPSTREAM_AUDIENCE = { AUTH_INTERNAL_URL: 'auth', USERS_URL: 'users', ORDERS_URL: 'orders' } as const;

export type AuthMode = (typeof AUTH_MODES)[number];
export type UpstreamSetting = (typeof UPSTREAM_SETTINGS)[number];
/** A platform service by its setting, or a team's own service by its URL. */
const UPSTREAM = new RegExp(`^(${UPSTREAM_SETTINGS.join('|')}|https?://[^\\s/?#]+/?)$`);
/** Body limit of a team's own service unless its route declares one: the frameworks' usual 1 MiB. */
export const OWN_SERVICE_BODY_LIMIT = 1024 * 1024;

export function isUpstreamSetting(upstream: string): upstream is UpstreamSetting {
  return (UPSTREAM_SETTINGS as readonly string[]).includes(upstream);
}
export type PropagationMode = (typeof PROPAGATION_MODES)[number];

/** One route of `GATEWAY_ROUTES_FILE`, as declared. */
export class RouteDeclaration {
  @Matches(/^\/[A-Za-z0-9._~\-/]*$/, { message: 'prefix must be a path starting with /' }) prefix!: string;
  @Matches(UPSTREAM, { message: `upstream must name one of ${UPSTREAM_SETTINGS.join(', ')}, or be the http(s) origin of a service` })
  upstream!: string;
  /**
   * The service behind an upstream given by URL (a team's own): the `aud` of the internal tokens
   * sent to it, which it verifies. Required with a URL; a platform upstream names its own.
   */
  @IsOptional() @Matches(/^[a-z][a-z0-9-]{0,62}$/, { message: 'service must be lower-case letters, digits and dashes' }) service?: string;
  @IsOptional() @IsIn(AUTH_MODES) auth: AuthMode = 'jwt';
  @IsOptional() @IsArray() @ArrayUnique() @IsString({ each: true }) scopes: string[] = [];
  @IsOptional() @IsArray() @ArrayUnique() @IsString({ each: true }) roles: string[] = [];
  @IsOptional() @IsArray() @ArrayUnique() @IsIn(TENANT_SOURCES, { each: true }) tenant: (typeof TENANT_SOURCES)[number][] = [];
  @IsOptional() @IsIn(RATE_LIMIT_CLASSES) rateLimit: (typeof RATE_LIMIT_CLASSES)[number] = 'default';
  @IsOptional() @IsInt() @Min(100) @Max(300_000) timeoutMs: number = 10_000;
  @IsOptional() @IsBoolean() stripPrefix: boolean = false;
  /** Largest body passed on, in bytes; default the upstream service's own limit, at most `GATEWAY_BODY_LIMIT`. */
  @IsOptional() @IsInt() @Min(1024) bodyLimit?: number;
  /** How the caller's identity reaches the upstream; default `IDENTITY_PROPAGATION`. */
  @IsOptional() @IsIn(PROPAGATION_MODES) propagation?: PropagationMode;
  /**
   * Step-up (RFC 9470): the `acr` values a person's credential may carry here, any one; empty: any.
   * Each goes into a quoted challenge parameter, so no spaces or quotes.
   */
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @Matches(ACR_TOKEN, { each: true, message: 'requireAcr values must be acr tokens (no spaces, quotes or backslashes)' })
  requireAcr: string[] = [];
  /** Step-up (RFC 9470): seconds since the person signed in (`auth_time`), at most. */
  @IsOptional() @IsInt() @Min(0) @Max(31 * 86_400) maxAuthAge?: number;
}

export class RoutesFile {
  @IsArray() @ValidateNested({ each: true }) @Type(() => RouteDeclaration) routes!: RouteDeclaration[];
}

/** A route ready to serve: its upstream resolved to a URL. */
export interface Route extends Omit<RouteDeclaration, 'upstream' | 'propagation' | 'bodyLimit' | 'service'> {
  upstream: URL;
  /** The body limit in force: declared or the upstream's, never over `GATEWAY_BODY_LIMIT`. */
  bodyLimit: number;
  /** The upstream service's own body limit. */
  upstreamBodyLimit: number;
  /** The upstream's setting, or its URL as declared. */
  upstreamName: string;
  propagation: PropagationMode;
  /** `aud` of the internal tokens minted for this route. */
  audience: string;
}

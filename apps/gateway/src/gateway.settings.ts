import { Setting, type SettingsIssue } from '@gatehouse/config';
import type { JwsAlg } from '@gatehouse/jwks';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { GatewayEdgeSettings } from './edge/edge.settings';
import { PROPAGATION_MODES, type PropagationMode, type UpstreamSetting } from './routes/route';

const HTTP_URL = /^https?:\/\/\S+$/;
// Every algorithm the auth app can sign with (JwtVerifier, on node:crypto).
const VERIFIABLE_ALGS = /^(RS256|ES256|EdDSA)(,(RS256|ES256|EdDSA))*$/;
const ADDRESS_LIST = /^$|^[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*$/;
const ORIGIN = String.raw`https?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?`;
const ORIGIN_LIST = new RegExp(`^$|^${ORIGIN}(,${ORIGIN})*$`);
// RFC 6265 section 4.1.1 allows more; this subset needs no quoting anywhere.
const COOKIE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const RATE = /^[1-9]\d{0,8}\/[1-9]\d{0,5}$/;
const RATE_MESSAGE = 'must be <requests>/<seconds>, e.g. 600/60';
const REVOCATION_LAG_POLICIES = ['serve', 'refuse'] as const;
const PLAN_RATES = /^default=[1-9]\d{0,8}(,[a-z0-9_-]+=[1-9]\d{0,8})*$/;

/** Settings of the gateway. */
export class GatewaySettings extends GatewayEdgeSettings {
  /** Default: the auth app on this host, `AUTH_PORT` (http://127.0.0.1:3001). */
  @Setting() @IsOptional() @Matches(HTTP_URL, { message: 'AUTH_INTERNAL_URL must be an http(s) URL' }) AUTH_INTERNAL_URL?: string;
  /** Default: the users app on this host, `USERS_PORT`. */
  @Setting() @IsOptional() @Matches(HTTP_URL, { message: 'USERS_URL must be an http(s) URL' }) USERS_URL?: string;
  /** Default: the orders app on this host, `ORDERS_PORT`. */
  @Setting() @IsOptional() @Matches(HTTP_URL, { message: 'ORDERS_URL must be an http(s) URL' }) ORDERS_URL?: string;
  @Setting() @IsString() GATEWAY_ROUTES_FILE: string = 'config/gateway.routes.yaml';
  /** Bytes; a larger request body is refused with 413 before or while it streams upstream. */
  @Setting() @IsInt() @Min(1024) GATEWAY_BODY_LIMIT: number = 10 * 1024 * 1024;
  /** Keep-alive connections the gateway opens to one upstream at most. */
  @Setting() @IsInt() @Min(1) @Max(4096) UPSTREAM_CONNECTIONS: number = 128;
  /**
   * Requests that may wait for one of those connections; past it a request is refused at once
   * (503 `upstream_unavailable`, Retry-After) rather than queued behind a stalled upstream.
   */
  @Setting() @IsInt() @Min(0) @Max(100_000) UPSTREAM_QUEUE_LIMIT: number = 1024;
  /**
   * Comma-separated addresses or CIDR blocks of proxies in front of the gateway; only from these
   * are a client's `X-Forwarded-*` headers kept. Empty: the connection's peer is the client.
   */
  @Setting()
  @Matches(ADDRESS_LIST, { message: 'GATEWAY_TRUSTED_PROXIES must be comma-separated IP addresses or CIDR blocks' })
  GATEWAY_TRUSTED_PROXIES: string = '';

  /** The exact `iss` of access tokens; must equal the auth app's. Unset: the gateway's own address. */
  @Setting()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'AUTH_ISSUER must be an http(s) URL' })
  AUTH_ISSUER: string = 'http://127.0.0.1:3000';
  /** Every access token must name it in `aud`. */
  @Setting() @IsString() @MinLength(1) API_AUDIENCE: string = 'gatehouse-api';
  /** Comma-separated allow-list; the token's own `alg` never chooses. */
  @Setting()
  @Matches(VERIFIABLE_ALGS, { message: 'JWT_ALGORITHMS must list RS256, ES256 and/or EdDSA, comma-separated' })
  JWT_ALGORITHMS: string = 'RS256,ES256,EdDSA';
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. */
  @Setting() @IsInt() @Min(0) @Max(300) JWT_CLOCK_LEEWAY: number = 30;
  /** Characters; a longer credential is refused before any parsing or crypto. */
  @Setting() @IsInt() @Min(512) @Max(65_536) JWT_MAX_LENGTH: number = 8192;
  /** Entries of the verified-token cache; 0 turns it off. */
  @Setting() @IsInt() @Min(0) TOKEN_CACHE_SIZE: number = 10_000;
  /** Seconds a fetched key set counts as fresh (refreshed ahead at 75%). */
  @Setting() @IsInt() @Min(5) @Max(86_400) JWKS_TTL: number = 300;
  /** Seconds past the TTL that the last good key set keeps serving while the issuer is down. */
  @Setting() @IsInt() @Min(0) @Max(86_400) JWKS_MAX_STALE: number = 3600;

  /** The gateway's own client at the auth app, for routes in `introspection` mode (RFC 7662). */
  @Setting() @IsString() @MinLength(1) GATEWAY_CLIENT_ID: string = 'gateway';
  @Setting('secret') @IsOptional() @IsString() @MinLength(16) GATEWAY_CLIENT_SECRET?: string;
  /** Seconds an active introspection answer is reused (never past the token's `exp`); 0: ask every time. */
  @Setting() @IsInt() @Min(0) @Max(300) INTROSPECTION_CACHE_TTL: number = 30;
  /** Seconds past its TTL that a cached introspection answer serves while the auth app cannot be asked; 0: none. */
  @Setting() @IsInt() @Min(0) @Max(3600) INTROSPECTION_MAX_STALE: number = 60;
  /** Failed introspection calls in a row that open the circuit breaker. */
  @Setting() @IsInt() @Min(1) @Max(1000) INTROSPECTION_BREAKER_THRESHOLD: number = 5;
  /** Seconds the breaker stays open before one probe may go out. */
  @Setting() @IsInt() @Min(1) @Max(300) INTROSPECTION_BREAKER_OPEN: number = 5;

  /** The browser session cookie of `session` routes; must equal the auth app's `SESSION_COOKIE_NAME`. */
  @Setting()
  @Matches(COOKIE_NAME, { message: 'SESSION_COOKIE_NAME must be 1-64 letters, digits, dots, dashes or underscores' })
  SESSION_COOKIE_NAME: string = 'gh_session';
  /** Seconds an active session answer is reused (never past its `exp`), so a logout takes that long at most; 0: ask every time. */
  @Setting() @IsInt() @Min(0) @Max(60) SESSION_CACHE_TTL: number = 10;
  /**
   * Comma-separated origins (`https://app.example.com`) whose pages may send unsafe requests on
   * `session` routes, besides the public origin (`AUTH_ISSUER`'s).
   */
  @Setting()
  @Matches(ORIGIN_LIST, { message: 'SESSION_ALLOWED_ORIGINS must be comma-separated http(s) origins, without a path' })
  SESSION_ALLOWED_ORIGINS: string = '';

  @Setting() @IsIn(PROPAGATION_MODES) IDENTITY_PROPAGATION: PropagationMode = 'internal-token';
  /** `iss` of the internal tokens the gateway mints for the services. */
  @Setting() @IsString() @MinLength(1) GATEWAY_INTERNAL_ISSUER: string = 'gatehouse-gateway';
  /** Seconds; an internal token never outlives the access token it stands for either. */
  @Setting() @IsInt() @Min(10) @Max(300) INTERNAL_TOKEN_TTL: number = 300;
  /** Seconds between internal signing keys; 0 keeps one key for the life of the process. */
  @Setting() @IsInt() @Min(0) INTERNAL_KEY_ROTATION_INTERVAL: number = 86_400;
  /** Seconds a new internal key is published before it signs (services' JWKS caches catch up). */
  @Setting() @IsInt() @Min(0) @Max(86_400) INTERNAL_KEY_PUBLISH_AHEAD: number = 300;
  /**
   * Encrypts the internal private keys at rest (in Redis, or in the data folder without it); every
   * replica sharing them needs the same value. Generated into the data folder in development.
   */
  @Setting('secret')
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'INTERNAL_KEYS_ENCRYPTION_SECRET must be at least 32 characters' })
  INTERNAL_KEYS_ENCRYPTION_SECRET?: string;

  /** The host under which `<tenant>.<host>` names a tenant (the `subdomain` source). */
  @Setting() @IsOptional() @Matches(/^[a-z0-9.-]+$/, { message: 'TENANT_BASE_HOST must be a host name' }) TENANT_BASE_HOST?: string;
  /** Seconds the tenant registry read from auth counts as fresh: a suspension takes effect within it. */
  @Setting() @IsInt() @Min(1) @Max(3600) TENANT_REGISTRY_TTL: number = 30;
  /** Seconds past the TTL that the last registry keeps serving while auth cannot answer. */
  @Setting() @IsInt() @Min(0) @Max(86_400) TENANT_REGISTRY_MAX_STALE: number = 600;

  /**
   * Seconds between reads of auth's revocation feed. Pushed events arrive at once over NATS, Redis
   * or in process; the poll is what bounds a revocation's delay when no push arrives.
   */
  @Setting() @IsInt() @Min(1) @Max(3600) REVOCATION_POLL_INTERVAL: number = 1;
  /** Seconds without a successful read of the feed after which the gateway counts as lagging. */
  @Setting() @IsInt() @Min(1) @Max(86_400) REVOCATION_MAX_LAG: number = 30;
  /** While lagging: `serve` (readiness degraded) or `refuse` (authenticated requests 503, readiness down). */
  @Setting() @IsIn(REVOCATION_LAG_POLICIES) REVOCATION_LAG_POLICY: (typeof REVOCATION_LAG_POLICIES)[number] = 'serve';

  /** `<requests>/<seconds>` of the `default` class, per user (per client address when anonymous). */
  @Setting() @Matches(RATE, { message: `RATE_LIMIT_DEFAULT ${RATE_MESSAGE}` }) RATE_LIMIT_DEFAULT: string = '600/60';
  /** Of the `auth` class (token, login, register, introspect, revoke), per client address. */
  @Setting() @Matches(RATE, { message: `RATE_LIMIT_AUTH ${RATE_MESSAGE}` }) RATE_LIMIT_AUTH: string = '60/60';
  /** Of the `public` class (discovery, JWKS), per client address. */
  @Setting() @Matches(RATE, { message: `RATE_LIMIT_PUBLIC ${RATE_MESSAGE}` }) RATE_LIMIT_PUBLIC: string = '300/60';
  /** Requests per `RATE_LIMIT_TENANT_WINDOW` of one tenant, by the registry's plan; `default` for any other plan. */
  @Setting()
  @Matches(PLAN_RATES, { message: 'RATE_LIMIT_TENANT_PLANS must be default=<n>,<plan>=<n>,...' })
  RATE_LIMIT_TENANT_PLANS: string = 'default=6000,free=1200,pro=12000,enterprise=60000';
  @Setting() @IsInt() @Min(1) @Max(86_400) RATE_LIMIT_TENANT_WINDOW: number = 60;
  /** Every request through the gateway, all instances together when Redis is set. */
  @Setting() @Matches(RATE, { message: `RATE_LIMIT_GLOBAL ${RATE_MESSAGE}` }) RATE_LIMIT_GLOBAL: string = '10000/1';

  upstream(name: UpstreamSetting): string {
    switch (name) {
      case 'AUTH_INTERNAL_URL':
        return this.AUTH_INTERNAL_URL ?? `http://127.0.0.1:${this.AUTH_PORT}`;
      case 'USERS_URL':
        return this.USERS_URL ?? `http://127.0.0.1:${this.USERS_PORT}`;
      case 'ORDERS_URL':
        return this.ORDERS_URL ?? `http://127.0.0.1:${this.ORDERS_PORT}`;
    }
  }

  get jwtAlgorithms(): JwsAlg[] {
    return this.JWT_ALGORITHMS.split(',') as JwsAlg[];
  }

  get trustedProxies(): string[] {
    return this.GATEWAY_TRUSTED_PROXIES.split(',').filter(Boolean);
  }

  /** The public origin and `SESSION_ALLOWED_ORIGINS`, serialized as browsers send `Origin`. */
  get sessionOrigins(): string[] {
    return [this.AUTH_ISSUER, ...this.SESSION_ALLOWED_ORIGINS.split(',').filter(Boolean)].map((url) => new URL(url).origin);
  }

  /** The gateway keeps no database (its internal keys live in Redis or its data folder), so it needs none in production either. */
  override securityIssues(): SettingsIssue[] {
    const issues = super.securityIssues().filter((issue) => issue.key !== 'DATABASE_URL');
    if (!this.INTERNAL_KEYS_ENCRYPTION_SECRET) {
      issues.push({ key: 'INTERNAL_KEYS_ENCRYPTION_SECRET', message: 'unset: internal private keys would be encrypted with a key kept next to them' });
    }
    if (this.INTERNAL_KEY_ROTATION_INTERVAL > 0 && this.INTERNAL_KEY_ROTATION_INTERVAL <= this.INTERNAL_KEY_PUBLISH_AHEAD) {
      issues.push({ key: 'INTERNAL_KEY_ROTATION_INTERVAL', message: 'must exceed INTERNAL_KEY_PUBLISH_AHEAD, or a key would sign before it is published' });
    }
    return issues;
  }
}

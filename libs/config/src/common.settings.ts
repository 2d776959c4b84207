import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Setting } from './setting.decorator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const ACCESS_LOGS = ['all', 'errors', 'off'] as const;
export const LOG_FORMATS = ['pretty', 'json'] as const;
export const TRANSPORTS = ['tcp', 'nats'] as const;

const URL_PATTERN = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

/** A finding of the security policy: refused in production, warned about elsewhere. */
export interface SettingsIssue {
  key: string;
  message: string;
}

const Port = (): PropertyDecorator => (target, key) => {
  IsInt()(target, key);
  Min(0)(target, key);
  Max(65535)(target, key);
};

/**
 * Settings every app reads. Each app extends this class with its own keys;
 * the libs depend on this class only.
 */
export class CommonSettings {
  @Setting() @IsIn(NODE_ENVS) NODE_ENV: (typeof NODE_ENVS)[number] = 'development';
  /** Defaults to 127.0.0.1 in development and 0.0.0.0 in production (see `host`). */
  @Setting() @IsOptional() @IsString() HOST?: string;
  @Setting() @IsIn(LOG_LEVELS) LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';
  /**
   * `pretty`: one readable line per event, for a person at a terminal; `json`: one JSON object per
   * line, for a log pipeline. Unset: pretty when standard output is a terminal, JSON otherwise.
   */
  @Setting() @IsOptional() @IsIn(LOG_FORMATS) LOG_FORMAT?: (typeof LOG_FORMATS)[number];
  /**
   * The access log: a line per request (`all`), per refused or failed request (`errors`, status
   * 400 and up), or none (`off`). Unset: `errors` in production, where a line per request costs
   * more than the gateway's own work, `all` elsewhere. Metrics count every request either way.
   */
  @Setting() @IsOptional() @IsIn(ACCESS_LOGS) ACCESS_LOG?: (typeof ACCESS_LOGS)[number];

  @Setting() @IsString() DATA_DIR: string = './data';
  @Setting('url-with-credentials')
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_URL must be a postgres:// URL',
  })
  DATABASE_URL?: string;
  /** Prepended to every schema name, so that test runs on one database never share data. */
  @Setting()
  @Matches(/^([a-z][a-z0-9_]{0,30})?$/, {
    message: 'DATABASE_SCHEMA_PREFIX must be lower-case letters, digits and underscores',
  })
  DATABASE_SCHEMA_PREFIX: string = '';
  /**
   * Deadline of one PostgreSQL query, and of getting a connection for it (a new one, or a turn in
   * the pool's queue). A database that hangs then answers 503 within it, not when TCP gives up.
   */
  @Setting() @IsInt() @Min(100) @Max(600_000) DATABASE_TIMEOUT_MS: number = 5000;

  @Setting() @IsIn(TRANSPORTS) MESSAGE_TRANSPORT: (typeof TRANSPORTS)[number] = 'tcp';
  @Setting('url-with-credentials')
  @Matches(URL_PATTERN, { message: 'NATS_URL must be a URL' })
  NATS_URL: string = 'nats://127.0.0.1:4222';
  @Setting('url-with-credentials')
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, {
    message: 'REDIS_URL must be a redis:// URL',
  })
  REDIS_URL?: string;
  /** Put before every Redis key, so that deployments (or test runs) sharing one Redis never mix. */
  @Setting()
  @Matches(/^[A-Za-z0-9:_.-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1-64 letters, digits or : _ . -' })
  REDIS_KEY_PREFIX: string = 'gatehouse:';
  /**
   * Deadline of one Redis command. Everything on Redis has a fallback in memory, so a Redis that
   * stops answering costs a request this much at most, never the seconds TCP takes to give up.
   */
  @Setting() @IsInt() @Min(10) @Max(10_000) REDIS_TIMEOUT_MS: number = 100;
  /** How many replicas of this app the deployment runs; in-memory state is only safe with one. */
  @Setting() @IsInt() @Min(1) INSTANCES: number = 1;
  /** Where request spans go: `none` (default: no OpenTelemetry code is loaded), `otlp` (OTLP/HTTP) or `console`. */
  @Setting() @IsIn(['none', 'otlp', 'console']) OTEL_EXPORTER: 'none' | 'otlp' | 'console' = 'none';
  /** The OTLP/HTTP traces endpoint when `OTEL_EXPORTER=otlp`; unset: http://localhost:4318/v1/traces. */
  @Setting() @IsOptional() @Matches(/^https?:\/\/\S+$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' }) OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /** Upper bound on one request/response over the transport. */
  @Setting() @IsInt() @Min(50) @Max(60_000) RPC_TIMEOUT_MS: number = 1500;
  /**
   * Seconds a stopping app keeps accepting requests while its readiness answers 503, so that load
   * balancers notice before the listener closes. Unset: 5 in production, 0 elsewhere (no load
   * balancer to tell, and Ctrl-C should not wait).
   */
  @Setting() @IsOptional() @IsInt() @Min(0) @Max(300) SHUTDOWN_GRACE?: number;
  /** Seconds in-flight requests may take to finish once the listener closes; then they are cut. */
  @Setting() @IsInt() @Min(1) @Max(600) SHUTDOWN_TIMEOUT: number = 10;

  /**
   * PEM certificate authority that vouches for the platform's peers: on the TCP transport (mutual
   * TLS with the two settings below), to NATS on a `tls://` URL, Redis on `rediss://`, and https
   * upstreams of the gateway.
   */
  @Setting() @IsOptional() @IsString() TLS_CA_FILE?: string;
  /** This app's PEM certificate on the transport: presented as a server and as a client. */
  @Setting() @IsOptional() @IsString() TRANSPORT_TLS_CERT_FILE?: string;
  /** The private key of `TRANSPORT_TLS_CERT_FILE`. */
  @Setting() @IsOptional() @IsString() TRANSPORT_TLS_KEY_FILE?: string;
  /**
   * Comma-separated names (certificate CN or DNS subjectAltName) whose callers this app's message
   * server answers over mutual TLS; empty: any certificate of `TLS_CA_FILE`.
   */
  @Setting()
  @Matches(/^$|^[A-Za-z0-9.-]+(,[A-Za-z0-9.-]+)*$/, { message: 'TRANSPORT_TLS_PEERS must be comma-separated host names' })
  TRANSPORT_TLS_PEERS: string = '';

  @Setting() @Port() GATEWAY_PORT: number = 3000;
  @Setting() @Port() AUTH_PORT: number = 3001;
  @Setting() @Port() USERS_PORT: number = 3002;
  @Setting() @Port() ORDERS_PORT: number = 3003;
  @Setting() @Port() USERS_TCP_PORT: number = 4010;
  @Setting() @Port() AUTH_TCP_PORT: number = 4011;
  @Setting() @Port() ORDERS_TCP_PORT: number = 4012;
  @Setting() @IsString() USERS_TCP_HOST: string = '127.0.0.1';
  @Setting() @IsString() AUTH_TCP_HOST: string = '127.0.0.1';
  @Setting() @IsString() ORDERS_TCP_HOST: string = '127.0.0.1';

  get transportPeers(): ReadonlySet<string> {
    return new Set(this.TRANSPORT_TLS_PEERS.split(',').filter(Boolean));
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  get shutdownGraceSeconds(): number {
    return this.SHUTDOWN_GRACE ?? (this.isProduction ? 5 : 0);
  }

  get accessLog(): (typeof ACCESS_LOGS)[number] {
    return this.ACCESS_LOG ?? (this.isProduction ? 'errors' : 'all');
  }

  get logFormat(): (typeof LOG_FORMATS)[number] {
    return this.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
  }

  get host(): string {
    return this.HOST ?? (this.isProduction ? '0.0.0.0' : '127.0.0.1');
  }

  /**
   * The gateway's own address as this machine reaches it, the one the startup banner prints: the
   * public origin when none is configured, so that a browser on the printed URL meets an issuer,
   * a token endpoint and cookies of the very same origin.
   */
  get gatewayOrigin(): string {
    const host = this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.GATEWAY_PORT}`;
  }

  /**
   * Defaults that depend on other settings, applied after the environment is read and before it
   * is validated. `given` holds the keys the environment set. An unset `AUTH_ISSUER`, in every app
   * that reads it, follows the gateway's own address.
   */
  deriveDefaults(given: ReadonlySet<string>): void {
    if ('AUTH_ISSUER' in this && !given.has('AUTH_ISSUER')) Object.assign(this, { AUTH_ISSUER: this.gatewayOrigin });
  }

  /** Insecure combinations: production refuses to start on any of them. */
  securityIssues(): SettingsIssue[] {
    const issues: SettingsIssue[] = [];
    if (!this.REDIS_URL && this.INSTANCES > 1) {
      issues.push({
        key: 'REDIS_URL',
        message: `INSTANCES=${this.INSTANCES} with in-memory counters: limits would not be shared`,
      });
    }
    if (!this.DATABASE_URL && this.isProduction) {
      issues.push({ key: 'DATABASE_URL', message: 'the embedded database is for development only' });
    }
    return issues;
  }
}

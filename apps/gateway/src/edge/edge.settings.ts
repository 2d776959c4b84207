import { CommonSettings, Setting, type SettingsIssue } from '@gatehouse/config';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;
const BOOLEAN = ['true', 'false'] as const;

/** How the gateway meets the outside: HTTPS, the redirect listener, HSTS, its worker processes. */
export class GatewayEdgeSettings extends CommonSettings {
  /** PEM certificate chain the gateway serves HTTPS with; re-read when the file changes. */
  @Setting() @IsOptional() @IsString() TLS_CERT_FILE?: string;
  /** PEM private key of `TLS_CERT_FILE`; re-read with it. */
  @Setting() @IsOptional() @IsString() TLS_KEY_FILE?: string;
  /** Oldest TLS version accepted from clients. */
  @Setting() @IsIn(TLS_VERSIONS) TLS_MIN_VERSION: (typeof TLS_VERSIONS)[number] = 'TLSv1.2';
  /**
   * `true`: a load balancer in front terminates TLS; production then starts without a certificate,
   * and a `GATEWAY_TRUSTED_PROXIES` peer's `X-Forwarded-Proto` says whether the client used HTTPS.
   */
  @Setting() @IsIn(BOOLEAN) TLS_TERMINATED_UPSTREAM: (typeof BOOLEAN)[number] = 'false';
  /** Seconds of `Strict-Transport-Security` on answers over HTTPS; 0 sends none. */
  @Setting() @IsInt() @Min(0) @Max(63_072_000) HSTS_MAX_AGE: number = 31_536_000;
  /** A plain-HTTP port that only redirects to HTTPS (308); unset: none. */
  @Setting() @IsOptional() @IsInt() @Min(0) @Max(65535) HTTP_REDIRECT_PORT?: number;
  /** Worker processes sharing the port. Unset: one per CPU in production, 1 elsewhere. */
  @Setting() @IsOptional() @IsInt() @Min(1) @Max(256) GATEWAY_WORKERS?: number;

  get servesTls(): boolean {
    return this.TLS_CERT_FILE !== undefined || this.TLS_KEY_FILE !== undefined;
  }

  get tlsTerminatedUpstream(): boolean {
    return this.TLS_TERMINATED_UPSTREAM === 'true';
  }

  /**
   * Worker processes for `cpus` CPUs: `GATEWAY_WORKERS`, else one per CPU in production with
   * Redis, else one: without Redis each worker counts rate limits on its own (docs/ARCHITECTURE.md,
   * "Gateway workers"), which an explicit `GATEWAY_WORKERS` accepts knowingly.
   */
  gatewayWorkers(cpus: number): number {
    return this.GATEWAY_WORKERS ?? (this.isProduction && this.REDIS_URL ? cpus : 1);
  }

  /** A public origin in production is HTTPS, served here or by the load balancer in front. */
  override securityIssues(): SettingsIssue[] {
    const issues = super.securityIssues();
    if (this.isProduction && !this.servesTls && !this.tlsTerminatedUpstream) {
      issues.push({
        key: 'TLS_CERT_FILE',
        message: 'production serves HTTPS: set TLS_CERT_FILE and TLS_KEY_FILE, or TLS_TERMINATED_UPSTREAM=true when a load balancer in front terminates TLS',
      });
    }
    return issues;
  }
}

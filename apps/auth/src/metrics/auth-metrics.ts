import { Injectable } from '@nestjs/common';
import { AppMetrics } from '@gatehouse/observability';
import { Counter } from 'prom-client';

export const GRANT_LABELS = ['authorization_code', 'password', 'client_credentials', 'refresh_token'] as const;

/** Auth's own counters in `/metrics`: token grants by type and outcome, logins refused by the limits. */
@Injectable()
export class AuthMetrics {
  private readonly grants: Counter<'grant_type' | 'outcome'>;
  private readonly loginLimited: Counter;

  constructor(metrics: AppMetrics) {
    this.grants = new Counter({
      name: 'gatehouse_token_grants_total',
      help: 'Token requests by grant type (other: unsupported or malformed) and outcome',
      labelNames: ['grant_type', 'outcome'],
      registers: [metrics.registry],
    });
    this.loginLimited = new Counter({
      name: 'gatehouse_login_limited_total',
      help: 'Logins refused with 429 by the login limits',
      registers: [metrics.registry],
    });
    for (const grant of GRANT_LABELS) for (const outcome of ['success', 'failure']) this.grants.labels(grant, outcome).inc(0);
    this.loginLimited.inc(0);
  }

  grant(grantType: unknown, outcome: 'success' | 'failure'): void {
    const label = (GRANT_LABELS as readonly unknown[]).includes(grantType) ? (grantType as string) : 'other';
    this.grants.labels(label, outcome).inc();
  }

  loginRefused(): void {
    this.loginLimited.inc();
  }
}

import type { Exchange } from '../exchange';
import type { GatewaySettings } from '../gateway.settings';
import { RATE_LIMIT_CLASSES } from '../routes/route';

type RateLimitClass = (typeof RATE_LIMIT_CLASSES)[number];

interface Rate {
  limit: number;
  windowMs: number;
}

/** One counter a request counts against. */
export interface Bucket extends Rate {
  /** The throttler name, in metrics and in the storage key. */
  name: 'class' | 'tenant' | 'global';
  key: string;
  /** Whether its figures may go back in `RateLimit-*` headers: never the global one, which all tenants share. */
  reported: boolean;
}

function rate(value: string): Rate {
  const [limit, seconds] = value.split('/').map(Number);
  return { limit, windowMs: seconds * 1000 };
}

/**
 * Pipeline step 7's limits, from settings: the route's class keyed per user when the request is
 * authenticated and per client address otherwise, the tenant's plan, and the global ceiling.
 * Every key of a class bucket names the tenant, so no tenant's traffic moves another's counters.
 */
export class RateLimits {
  private readonly classes: Record<RateLimitClass, Rate>;
  private readonly plans: Map<string, number>;
  private readonly otherPlans: number;
  private readonly tenantWindowMs: number;
  private readonly global: Rate;

  constructor(settings: GatewaySettings) {
    this.classes = { default: rate(settings.RATE_LIMIT_DEFAULT), auth: rate(settings.RATE_LIMIT_AUTH), public: rate(settings.RATE_LIMIT_PUBLIC) };
    this.plans = new Map(
      settings.RATE_LIMIT_TENANT_PLANS.split(',')
        .map((entry) => entry.split('='))
        .map(([plan, limit]) => [plan, Number(limit)]),
    );
    // The setting's format puts `default` first, so it is always there.
    this.otherPlans = this.plans.get('default') ?? 0;
    this.tenantWindowMs = settings.RATE_LIMIT_TENANT_WINDOW * 1000;
    this.global = rate(settings.RATE_LIMIT_GLOBAL);
  }

  /** `clientAddress` is asked for only when the request has no principal to key on. */
  bucketsFor(exchange: Exchange, clientAddress: () => string): Bucket[] {
    const { route, principal, tenant } = exchange;
    const tenantId = tenant?.id ?? principal?.tenantId ?? '-';
    const who = principal ? `sub:${principal.subject}` : `ip:${clientAddress()}`;
    const buckets: Bucket[] = [{ name: 'class', key: `${route.rateLimit}:t:${tenantId}:${who}`, ...this.classes[route.rateLimit], reported: true }];
    if (tenant) {
      const limit = this.plans.get(tenant.plan) ?? this.otherPlans;
      buckets.push({ name: 'tenant', key: `tenant:${tenant.id}`, limit, windowMs: this.tenantWindowMs, reported: true });
    }
    buckets.push({ name: 'global', key: 'global', ...this.global, reported: false });
    return buckets;
  }
}

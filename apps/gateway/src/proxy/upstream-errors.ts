import { Injectable } from '@nestjs/common';
import { AppMetrics } from '@gatehouse/observability';
import { Counter } from 'prom-client';
import { RouteTable } from '../routes/route-table';

/**
 * `gatehouse_upstream_errors_total{upstream, code}`: exchanges with an upstream that got no usable
 * answer (unreachable, queue full, timed out), by the upstream's origin, which the routes file
 * bounds. Label children are kept: the hot path only increments.
 */
@Injectable()
export class UpstreamErrors {
  private readonly counter: Counter<'upstream' | 'code'>;
  private readonly children = new Map<string, ReturnType<Counter<'upstream' | 'code'>['labels']>>();

  constructor(metrics: AppMetrics, routes: RouteTable) {
    this.counter = new Counter({
      name: 'gatehouse_upstream_errors_total',
      help: 'Upstream exchanges without a usable answer, by upstream origin and error code',
      labelNames: ['upstream', 'code'],
      registers: [metrics.registry],
    });
    // Every upstream's series exists from the start, so a rate over it is 0 rather than absent.
    for (const route of routes.routes) for (const code of ['upstream_unavailable', 'upstream_timeout']) this.counter.labels(route.upstream.origin, code).inc(0);
  }

  count(upstream: string, code: string): void {
    const key = `${upstream} ${code}`;
    let child = this.children.get(key);
    if (!child) this.children.set(key, (child = this.counter.labels(upstream, code)));
    child.inc();
  }
}

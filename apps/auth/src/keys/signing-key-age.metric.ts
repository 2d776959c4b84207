import { Injectable } from '@nestjs/common';
import { AppMetrics } from '@gatehouse/observability';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { SigningKeyEntity } from './signing-key.entity';

/**
 * `gatehouse_signing_key_age_seconds`: how long the active signing key has been signing, read at
 * scrape time (one indexed row), so an alert sees a rotation that stopped happening.
 */
@Injectable()
export class SigningKeyAgeMetric {
  constructor(dataSource: DataSource, metrics: AppMetrics) {
    const keys = dataSource.getRepository(SigningKeyEntity);
    new Gauge({
      name: 'gatehouse_signing_key_age_seconds',
      help: 'Seconds since the active signing key started signing (-1 when none is active)',
      registers: [metrics.registry],
      async collect() {
        const active = await keys.findOne({ where: { status: 'active' }, order: { activatesAt: 'DESC' } }).catch(() => null);
        this.set(active ? Math.max(0, (Date.now() - active.activatesAt.getTime()) / 1000) : -1);
      },
    });
  }
}

import { join } from 'node:path';
import type { FactoryProvider } from '@nestjs/common';
import { APP_RUNTIME, type AppRuntime } from '@gatehouse/config';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { embeddedFolder, RedisConnection } from '@gatehouse/persistence';
import { KeyEncryption, loadOrCreateDevSecret } from '@gatehouse/security';
import { GatewaySettings } from '../gateway.settings';
import { InternalKeyRing } from './internal-key-ring';
import { FileInternalKeyStore, type InternalKeyStore, RedisInternalKeyStore } from './internal-key-store';

// A label of their own: a secret shared with auth's KEYS_ENCRYPTION_SECRET still opens neither's keys with the other's.
const PURPOSE = 'gatehouse/gateway-internal-key/aes-256-gcm/v1';
const SECRET = 'INTERNAL_KEYS_ENCRYPTION_SECRET';

/**
 * The ring's store: Redis when configured, so every replica shares one set; otherwise files in the
 * gateway's data folder, which a single gateway (or replicas sharing the folder) keeps across restarts.
 */
export const internalKeyRingProvider: FactoryProvider<InternalKeyRing> = {
  provide: InternalKeyRing,
  inject: [GatewaySettings, RedisConnection, APP_RUNTIME, APP_LOGGER],
  useFactory: (settings: GatewaySettings, redis: RedisConnection, runtime: AppRuntime, logger: Logger) => {
    const folder = embeddedFolder(settings, runtime);
    const store: InternalKeyStore = redis.configured ? new RedisInternalKeyStore(redis) : new FileInternalKeyStore(join(folder, 'internal-keys'));
    const secret = settings.INTERNAL_KEYS_ENCRYPTION_SECRET ?? loadOrCreateDevSecret(join(folder, 'internal-keys.secret'), SECRET, logger);
    return new InternalKeyRing(settings, store, new KeyEncryption(secret, { purpose: PURPOSE, secretName: SECRET }), logger);
  },
};

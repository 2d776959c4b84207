export * from './attempt-store';
export * from './failover-attempt-store';
export * from './failover-throttler-storage';
export * from './memory-attempt-store';
export * from './memory-throttler-storage';
export * from './redis-attempt-store';
export * from './redis-failover';
export * from './trusted-proxies';

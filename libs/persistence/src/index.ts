export * from './database-location';
export * from './embedded-database';
export * from './folder-lock';
export * from './open-data-source';
export * from './persistence.module';
export * from './redis.module';

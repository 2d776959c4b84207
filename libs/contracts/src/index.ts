export * from './apps';
export * from './claims';
export * from './errors';
export * from './headers';
export * from './messages';
export * from './oauth-errors';
export * from './principal';
export * from './service-scopes';

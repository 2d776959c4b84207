export * from './message-meta';
export * from './rpc-call';
export * from './transport-options';
export * from './transport.health';
export * from './transport.module';
export * from './broadcast';
export * from './audit-publisher';

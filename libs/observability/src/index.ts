export * from './logger';
export * from './metrics';
export * from './request-context';
export * from './trace-context';
export * from './tracing';

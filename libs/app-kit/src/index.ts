export * from './app-kit.module';
export * from './error.filter';
export * from './health.controller';
export * from './start-app';
export * from './to-domain-error';
export * from './validation.pipe';
export * from './run';
export * from './nul-characters';

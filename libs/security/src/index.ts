export * from './auth-declaration';
export * from './deny-by-default.guard';

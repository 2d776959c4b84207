export * from './auth-declaration';
export * from './authorize';
export * from './credential-verifier';
export * from './current-principal.decorator';
export * from './deny-by-default.guard';

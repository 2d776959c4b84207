export * from './common.settings';
export * from './describe-settings';
export * from './load-settings';
export * from './setting.decorator';
export * from './app-runtime';
export * from './startup-error';
export * from './peer-tls';

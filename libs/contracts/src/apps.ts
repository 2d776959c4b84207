/** The apps of the platform. The name is also the database schema and the service audience. */
export const APP_NAMES = ['gateway', 'auth', 'users', 'orders'] as const;
export type AppName = (typeof APP_NAMES)[number];

/** Apps that also handle messages on the transport. */
export type MessagingAppName = Exclude<AppName, 'gateway'>;

/** The apps of the platform. The name is also the database schema and the service audience. */
export const APP_NAMES = ['gateway', 'auth', 'users', 'orders'] as const;
export type AppName = (typeof APP_NAMES)[number];

/** Apps that also handle messages on the transport. */
export type MessagingAppName = Exclude<AppName, 'gateway'>;

/**
 * The largest request body each service parses, in bytes. The gateway's routes default to the
 * limit of their upstream, so an oversized body is refused at the edge, before it travels.
 */
export const BODY_LIMIT: Readonly<Record<MessagingAppName, number>> = {
  auth: 64 * 1024,
  users: 1024 * 1024,
  orders: 1024 * 1024,
};

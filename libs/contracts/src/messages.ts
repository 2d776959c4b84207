/** Message patterns on the transport: `<service>.<operation>`, shared by callers and handlers. */
export const USERS_PATTERN = {
  ping: 'users.ping',
  /** One profile: `ProfileLookup` -> `ProfileSummary` (or `not_found`). Service scope `users:read`. */
  get: 'users.get',
  /** A batch: `ProfileBatchLookup` -> `ProfileBatch` (unknown ids left out). Service scope `users:read`. */
  getMany: 'users.getMany',
} as const;

/**
 * Notices broadcast to every gateway instance over Redis pub/sub (the gateway has no message
 * server, and a queue group would reach one instance only): the payload is the tenant's id.
 */
export const REGISTRY_NOTICE = {
  tenantChanged: 'registry.tenant-changed',
} as const;

/** Events on the transport: `<publisher>.<fact>`. */
export const AUTH_EVENT = {
  /** `UserRegistered`, published by auth when an account is created. */
  userRegistered: 'user.registered',
} as const;

export interface ProfileLookup {
  tenantId: string;
  id: string;
}

export interface ProfileBatchLookup {
  tenantId: string;
  ids: string[];
}

/** What other services may know of a user's profile. */
export interface ProfileSummary {
  id: string;
  tenantId: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

export interface ProfileBatch {
  profiles: ProfileSummary[];
}

export interface UserRegistered {
  tenantId: string;
  accountId: string;
  username: string;
  email: string;
  /** ISO 8601. */
  registeredAt: string;
}

export interface PingReply {
  service: string;
  instance: string;
  at: string;
}

/** Typed error carried in an RPC failure so the caller can map it to HTTP without guessing. */
export interface RpcErrorPayload {
  error: string;
  message: string;
}

/** Message patterns on the transport: `<service>.<operation>`, shared by callers and handlers. */
export const USERS_PATTERN = {
  ping: 'users.ping',
} as const;

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

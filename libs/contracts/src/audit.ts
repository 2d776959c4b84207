/** The event the gateway and the services send to auth, which keeps the one audit trail. */
export const AUDIT_EVENT = {
  /** An `AuditReport`, authenticated by the sender's platform client (client_secret_basic in the meta). */
  report: 'audit.report',
} as const;

export type AuditOutcome = 'success' | 'failure';

/** Security events reported by other apps than auth (auth records its own directly). */
export const REPORTED_AUDIT_TYPES = [
  /** A token of one tenant presented on another tenant's request or message. */
  'cross_tenant_attempt',
  /** A route's or handler's scopes or roles refused an authenticated caller. */
  'access.refused',
  /** A service refused the service token of a message. */
  'service_token.refused',
  /** An administrator changed something a service keeps. */
  'admin.action',
] as const;
export type ReportedAuditType = (typeof REPORTED_AUDIT_TYPES)[number];

/** Flat, small values only: a report never carries a token, a password or a secret. */
export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditReport {
  type: ReportedAuditType;
  outcome: AuditOutcome;
  /** ISO 8601, when the reporting app saw it. */
  occurredAt: string;
  tenantId?: string;
  subject?: string;
  clientId?: string;
  ip?: string;
  requestId?: string;
  correlationId?: string;
  /** The W3C trace id (32 hex digits) of the request that caused it. */
  traceId?: string;
  /** The error code of a refusal. */
  code?: string;
  details?: AuditDetails;
}

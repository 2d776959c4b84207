// Node's socket errors: the peer is not there, or stopped answering.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// SQLSTATE classes and codes that say the database cannot serve now, not that the query is wrong:
// 08 connection exception, 53 insufficient resources, 57P01-57P03 shutting down or starting up,
// 57014 canceled (statement_timeout).
const SQLSTATE_UNAVAILABLE = /^(08|53)|^57P0[123]$|^57014$/;

// pg and pg-pool say these in messages only (no code): the connection died under a query, or no
// connection came within the deadline.
const PG_MESSAGES = /^(Connection terminated|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Whether a failure means a dependency (the database, above all) is unavailable: the client did
 * nothing wrong and may retry, so it is a 503 with Retry-After, never a 500. Looks through
 * TypeORM's QueryFailedError to the driver's error.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATE_UNAVAILABLE.test(code))) return true;
    if (typeof message === 'string' && PG_MESSAGES.test(message)) return true;
    current = (current as { driverError?: unknown; cause?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

import { HttpException } from '@nestjs/common';
import { DomainError, type ErrorCode, isErrorCode } from '@gatehouse/contracts';
import { isDependencyUnavailable } from './dependency-unavailable';

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'missing_token',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

function statusOf(error: unknown): number | undefined {
  if (error instanceof HttpException) return error.getStatus();
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Every failure becomes a domain error with a stable code: framework exceptions (validation,
 * unknown route) and Fastify's own (malformed JSON, body too large, content type) by their
 * status; a dependency that is unavailable (the database refusing, dropping or not answering in
 * time) is `service_unavailable` (the filter adds Retry-After to every 503); anything unexpected is `internal_error`, with
 * the original kept for the log.
 */
export function toDomainError(error: unknown): { domain: DomainError; unexpected: boolean } {
  if (error instanceof DomainError) return { domain: error, unexpected: false };
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status !== undefined && status < 500) {
    const code = BY_STATUS[status] ?? 'invalid_request';
    return { domain: new DomainError(code, message), unexpected: false };
  }
  const code = (error as { error?: unknown } | null)?.error;
  if (isErrorCode(code)) return { domain: new DomainError(code, message), unexpected: false };
  if (isDependencyUnavailable(error)) {
    return { domain: new DomainError('service_unavailable', `dependency unavailable: ${message}`), unexpected: false };
  }
  return { domain: new DomainError('internal_error', message), unexpected: true };
}

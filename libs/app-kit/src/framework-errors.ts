import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_MESSAGE, ERROR_STATUS, type ErrorBody, type ErrorCode } from '@gatehouse/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Refusals that happen before Nest sees a request, in the platform's shape: Fastify's own
 * answers carry `{ statusCode, code, error, message }` and echo the offending path back.
 */
function errorBody(code: ErrorCode, requestId: string): ErrorBody {
  return { error: code, message: ERROR_MESSAGE[code], requestId };
}

/** Fastify's `frameworkErrors`: a URL it cannot decode, a path parameter over `maxParamLength`. */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const code: ErrorCode = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'uri_too_long' : 'invalid_request';
  const requestId = String(request.id);
  void reply.status(ERROR_STATUS[code]).header('cache-control', 'no-store').header('x-request-id', requestId).send(errorBody(code, requestId));
}

function clientErrorCode(error: NodeJS.ErrnoException): ErrorCode {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'headers_too_large';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'request_timeout';
  return 'invalid_request';
}

/**
 * Fastify's `clientErrorHandler` (Node's `clientError`): a request line or headers Node refused
 * to parse (headers or URL over the header size limit among them). No request exists yet, so the
 * request id is a fresh one.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const code = clientErrorCode(error);
  const status = ERROR_STATUS[code];
  const requestId = randomUUID();
  const body = JSON.stringify(errorBody(code, requestId));
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'cache-control: no-store',
    `x-request-id: ${requestId}`,
    'connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

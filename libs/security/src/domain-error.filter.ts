import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError, ERROR_MESSAGE, ERROR_STATUS, type ErrorBody, HEADER, type RpcErrorPayload } from '@gatehouse/contracts';
import { type Observable, throwError } from 'rxjs';

/**
 * The platform's refusals in an app that has no Gatehouse error filter of its own (a team's
 * service): the same status, headers and `{ error, message, requestId }` body as every platform
 * app, on Express or Fastify alike. Other exceptions are left to the app's own handling.
 */
@Catch(DomainError)
export class DomainErrorFilter implements ExceptionFilter<DomainError> {
  // The precise reason (never a credential) for the service's own log, at debug: the caller gets the code only.
  private readonly logger = new Logger('Gatehouse');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: DomainError, host: ArgumentsHost): Observable<never> | void {
    this.logger.debug(`refused: ${error.code} (${error.reason ?? 'no reason given'})`);
    if (host.getType() === 'rpc') {
      const payload: RpcErrorPayload = { error: error.code, message: ERROR_MESSAGE[error.code] };
      return throwError(() => payload);
    }
    const adapter = this.adapterHost.httpAdapter;
    const http = host.switchToHttp();
    const response: unknown = http.getResponse();
    const requestId = http.getRequest<{ headers: Record<string, unknown> }>().headers[HEADER.requestId];
    const status = ERROR_STATUS[error.code];
    const body: ErrorBody = {
      error: error.code,
      message: error.publicMessage ?? ERROR_MESSAGE[error.code],
      requestId: typeof requestId === 'string' && requestId.length <= 200 ? requestId : randomUUID(),
    };
    const headers: Record<string, string> = { 'cache-control': 'no-store', ...error.headers };
    if ((status === 401 || status === 403) && !Object.keys(headers).some((name) => name.toLowerCase() === 'www-authenticate')) {
      headers['www-authenticate'] = 'Bearer realm="gatehouse"';
    }
    for (const [name, value] of Object.entries(headers)) adapter.setHeader(response, name, value);
    adapter.reply(response, body, status);
  }
}

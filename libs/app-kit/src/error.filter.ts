import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { DomainError, ERROR_MESSAGE, ERROR_STATUS, type ErrorBody, OAuthError, type OAuthErrorBody, type RpcErrorPayload } from '@gatehouse/contracts';
import { APP_LOGGER, AppMetrics, currentRequestContext, type Logger } from '@gatehouse/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Observable, throwError } from 'rxjs';
import { toDomainError } from './to-domain-error';

export const WWW_AUTHENTICATE_REALM = Symbol('gatehouse:www-authenticate-realm');

// Long enough for a pool to reconnect or a dependency to fail over, short enough not to hold a
// person up.
const DEFAULT_RETRY_AFTER = '2';

const OAUTH_ERROR_BODIES = { errorBodies: 'oauth' } as const;

/**
 * Marks an OAuth endpoint: a body the framework cannot parse, or of a type it has no parser for,
 * is answered there as an RFC 6749 `invalid_request`, like every other refusal of the endpoint.
 */
export const OAuthErrorBodies = () => RouteConfig(OAUTH_ERROR_BODIES);

function answersOAuthBodies(request: FastifyRequest): boolean {
  const config = request.routeOptions?.config as { errorBodies?: string } | undefined;
  return config?.errorBodies === OAUTH_ERROR_BODIES.errorBodies;
}

/**
 * The one place where an app turns failures into answers: a stable code, a
 * generic message and the request id for HTTP; a typed payload for RPC. The reason goes to the
 * log only, and a stack trace never leaves the process.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(
    @Inject(WWW_AUTHENTICATE_REALM) private readonly realm: string,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly metrics: AppMetrics,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (exception instanceof OAuthError && host.getType() === 'http') return this.oauth(exception, host);
    const { domain, unexpected } = toDomainError(exception);
    const malformedBody = domain.code === 'invalid_request' || domain.code === 'unsupported_media_type';
    if (
      host.getType() === 'http' &&
      malformedBody &&
      !(exception instanceof DomainError) &&
      answersOAuthBodies(host.switchToHttp().getRequest<FastifyRequest>())
    ) {
      return this.oauth(new OAuthError('invalid_request', 'The request body is malformed or of an unsupported type.', domain.reason), host);
    }
    this.record(exception, domain, unexpected);
    if (host.getType() === 'rpc') {
      const payload: RpcErrorPayload = { error: domain.code, message: ERROR_MESSAGE[domain.code] };
      return throwError(() => payload);
    }
    const http = host.switchToHttp();
    this.send(domain, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }

  /**
   * The same answer for a route Fastify serves without Nest's router (the gateway's proxy path,
   * declared through `AppDefinition.httpRoutes`): a refusal there meets this table too.
   */
  answer(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const { domain, unexpected } = toDomainError(exception);
    this.record(exception, domain, unexpected);
    this.send(domain, request, reply);
  }

  // The reason goes to the log only; an unexpected failure with its stack, for the operator.
  private record(exception: unknown, domain: DomainError, unexpected: boolean): void {
    this.metrics.refusals.labels(domain.code).inc();
    if (unexpected) this.logger.error({ err: exception }, 'unexpected error');
    else this.logger.info({ code: domain.code, reason: domain.reason }, 'request refused');
  }

  private send(domain: DomainError, request: FastifyRequest, reply: FastifyReply): void {
    const status = ERROR_STATUS[domain.code];
    const body: ErrorBody = {
      error: domain.code,
      message: domain.publicMessage ?? ERROR_MESSAGE[domain.code],
      requestId: currentRequestContext()?.requestId ?? String(request.id),
    };
    for (const [name, value] of Object.entries(domain.headers)) void reply.header(name, value);
    // Every unavailability tells the client when to come back, whichever dependency failed.
    if (status === 503 && !reply.hasHeader('retry-after')) void reply.header('retry-after', DEFAULT_RETRY_AFTER);
    if ((status === 401 || status === 403) && !reply.hasHeader('www-authenticate')) {
      void reply.header('www-authenticate', this.bearerChallenge(status, Boolean(request.headers.authorization)));
    }
    void reply.status(status).header('cache-control', 'no-store').send(body);
  }

  /** RFC 6749 section 5.2: `{ error, error_description }`, never cached. */
  private oauth(error: OAuthError, host: ArgumentsHost): void {
    this.metrics.refusals.labels(error.code).inc();
    this.logger.info({ code: error.code, reason: error.reason }, 'oauth request refused');
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body: OAuthErrorBody = { error: error.code, ...(error.description ? { error_description: error.description } : {}) };
    for (const [name, value] of Object.entries(error.headers)) void reply.header(name, value);
    void reply.status(error.status).header('cache-control', 'no-store').header('pragma', 'no-cache').send(body);
  }

  // RFC 6750 section 3: no error attribute when the request carried no credential at all.
  private bearerChallenge(status: number, hadToken: boolean): string {
    const realm = `Bearer realm="${this.realm}"`;
    if (!hadToken) return realm;
    const error = status === 403 ? 'insufficient_scope' : 'invalid_token';
    return `${realm}, error="${error}"`;
  }
}

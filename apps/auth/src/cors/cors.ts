import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { DeclaredOrigins } from './declared-origins';

/** What a browser app may send to the token, userinfo and revocation endpoints. */
export const CORS_ALLOWED = { methods: 'GET, POST, OPTIONS', headers: 'authorization, content-type', maxAge: '600' };

/**
 * The CORS headers for one request: its own origin echoed when a client declares it, never `*`,
 * and never with credentials (these endpoints take tokens and client credentials, not cookies).
 * `Vary: Origin` always, so a cache never hands one origin's answer to another.
 */
export async function corsHeaders(origins: DeclaredOrigins, origin: string | undefined): Promise<Record<string, string>> {
  if (!(await origins.declared(origin))) return { vary: 'Origin' };
  return { vary: 'Origin', 'access-control-allow-origin': origin!, 'access-control-expose-headers': 'www-authenticate, retry-after' };
}

/**
 * Sets the CORS headers before the handler runs, so that an error answer, written by the error
 * filter on the same reply, carries them too: a browser app must be able to read why it was refused.
 */
@Injectable()
export class DeclaredOriginsCors implements NestInterceptor {
  constructor(private readonly origins: DeclaredOrigins) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const origin = http.getRequest<FastifyRequest>().headers.origin;
    void http.getResponse<FastifyReply>().headers(await corsHeaders(this.origins, origin));
    return next.handle();
  }
}

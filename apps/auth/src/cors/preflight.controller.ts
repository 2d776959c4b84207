import { Controller, Headers, HttpCode, Options, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { CORS_ALLOWED, corsHeaders } from './cors';
import { DeclaredOrigins } from './declared-origins';

/**
 * CORS preflights of the endpoints a browser app calls. An undeclared origin gets the same 204
 * without the allow headers, which the browser reads as a refusal.
 */
@ApiExcludeController()
@Controller('oauth')
export class PreflightController {
  constructor(private readonly origins: DeclaredOrigins) {}

  @Public()
  @Options(['token', 'userinfo', 'revoke'])
  @HttpCode(204)
  async preflight(@Headers('origin') origin: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const headers = await corsHeaders(this.origins, origin);
    if (headers['access-control-allow-origin']) {
      Object.assign(headers, {
        'access-control-allow-methods': CORS_ALLOWED.methods,
        'access-control-allow-headers': CORS_ALLOWED.headers,
        'access-control-max-age': CORS_ALLOWED.maxAge,
      });
    }
    void reply.headers(headers);
  }
}

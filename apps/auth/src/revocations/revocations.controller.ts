import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { OAuthError, type RevocationPage } from '@gatehouse/contracts';
import { Public } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { RevocationFeed } from './revocation-feed.service';

const SEQUENCE = /^(0|[1-9]\d{0,15})$/;

/** `GET /internal/revocations?after=<seq>` for the gateway's client (client_secret_basic). */
@ApiExcludeController()
@Controller('internal')
export class RevocationsController {
  constructor(private readonly feed: RevocationFeed) {}

  @Public()
  @Get('revocations')
  revocations(
    @Query('after') after: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RevocationPage> {
    if (typeof after !== 'string' || !SEQUENCE.test(after)) throw new OAuthError('invalid_request', 'after must be a sequence number.');
    void reply.header('cache-control', 'no-store');
    return this.feed.after({ authorization }, Number(after));
  }
}

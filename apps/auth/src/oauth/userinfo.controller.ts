import { Controller, Get, Headers, HttpCode, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { OAuthErrorResponse } from '@gatehouse/app-kit';
import { Public } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { DeclaredOriginsCors } from '../cors/cors';
import { UserInfo } from './userinfo.service';
import { UserInfoResponse } from './oauth.responses';

@ApiTags('oauth')
@Controller('oauth/userinfo')
export class UserInfoController {
  constructor(private readonly userInfo: UserInfo) {}

  /** Public at the guard: the access token is checked here, with RFC 6750 answers. */
  @Public()
  @ApiBearerAuth()
  @UseInterceptors(DeclaredOriginsCors)
  @Get()
  @ApiOperation({ summary: "OpenID Connect userinfo: the claims the access token's scopes release (profile, email)" })
  @ApiOkResponse({ type: UserInfoResponse })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponse, description: 'invalid_token, with WWW-Authenticate' })
  @ApiForbiddenResponse({ type: OAuthErrorResponse, description: 'insufficient_scope: the token lacks openid' })
  get(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return this.userInfo.claims(authorization);
  }

  @Public()
  @ApiBearerAuth()
  @UseInterceptors(DeclaredOriginsCors)
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'The same, by POST (OpenID Connect Core section 5.3.1)' })
  @ApiOkResponse({ type: UserInfoResponse })
  post(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    return this.get(authorization, reply);
  }
}

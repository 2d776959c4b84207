import { Controller, Headers, HttpCode, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { OAuthErrorBodies, OAuthErrorResponse } from '@gatehouse/app-kit';
import { Public } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { DeclaredOriginsCors } from '../cors/cors';
import { Introspection, type IntrospectionResponse } from './introspection.service';
import { OAuthForm } from './oauth-form.decorator';
import { Revocation } from './revocation.service';
import { TokenReferenceDto } from './token-request.dto';
import { RevocationResponse, TokenIntrospectionResponse } from './oauth.responses';

/** Both endpoints authenticate the calling client themselves (RFC 7662 section 2.1, RFC 7009 section 2.1). */
@ApiTags('oauth')
@Controller('oauth')
export class IntrospectionController {
  constructor(
    private readonly introspection: Introspection,
    private readonly revocation: Revocation,
  ) {}

  @Public()
  @Post('introspect')
  @OAuthErrorBodies()
  @HttpCode(200)
  @ApiOperation({ summary: 'Token introspection (RFC 7662)' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ type: TokenIntrospectionResponse, description: 'The token state; anything not active is exactly {"active":false}' })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponse, description: 'invalid_client' })
  introspect(
    @OAuthForm(TokenReferenceDto) form: TokenReferenceDto,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IntrospectionResponse> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return this.introspection.introspect({ authorization, clientId: form.client_id, clientSecret: form.client_secret }, form.token);
  }

  @Public()
  @UseInterceptors(DeclaredOriginsCors)
  @Post('revoke')
  @OAuthErrorBodies()
  @HttpCode(200)
  @ApiOperation({ summary: 'Token revocation (RFC 7009)' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ type: RevocationResponse, description: 'Revoked, or unknown: the answer is the same' })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponse, description: 'invalid_client' })
  async revoke(
    @OAuthForm(TokenReferenceDto) form: TokenReferenceDto,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, never>> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    await this.revocation.revoke({ authorization, clientId: form.client_id, clientSecret: form.client_secret }, form.token);
    return {};
  }
}

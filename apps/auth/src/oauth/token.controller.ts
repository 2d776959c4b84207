import { Controller, Headers, HttpCode, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponse, OAuthErrorBodies, OAuthErrorResponse } from '@gatehouse/app-kit';
import { Public } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { DeclaredOriginsCors } from '../cors/cors';
import { ClientAddress } from '../login-limits/client-address';
import { OAuthForm } from './oauth-form.decorator';
import { TokenEndpoint } from './token-endpoint.service';
import { TokenRequestDto, type TokenResponse } from './token-request.dto';
import { OAuthTokenResponse } from './oauth.responses';

@ApiTags('oauth')
@Controller('oauth')
export class TokenController {
  constructor(private readonly endpoint: TokenEndpoint) {}

  /** Public at the edge: the client authenticates itself here, per RFC 6749 section 2.3. */
  @Public()
  @UseInterceptors(DeclaredOriginsCors)
  @Post('token')
  @OAuthErrorBodies()
  @HttpCode(200)
  @ApiOperation({ summary: 'Token endpoint (RFC 6749): password, client_credentials, refresh_token' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ type: OAuthTokenResponse, description: 'Cache-Control: no-store' })
  @ApiBadRequestResponse({
    type: OAuthErrorResponse,
    description: 'invalid_request, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope',
  })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponse, description: 'invalid_client' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'rate_limited (password grant): login limits, with Retry-After' })
  token(
    @OAuthForm(TokenRequestDto) form: TokenRequestDto,
    @Headers('authorization') authorization: string | undefined,
    @ClientAddress() ip: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return this.endpoint.handle(form, authorization, ip);
  }
}

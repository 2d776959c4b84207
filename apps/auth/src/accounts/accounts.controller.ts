import { Body, Controller, Get, HttpCode, Ip, Post, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@gatehouse/contracts';
import { Authenticated, CurrentPrincipal, Public } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import type { TokenResponse } from '../oauth/token-request.dto';
import { LoginDto, type Me, RegisterDto, type RegisteredAccount } from './account.dto';
import { AccountsService } from './accounts.service';

@ApiTags('accounts')
@Controller('auth')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account in an active tenant' })
  @ApiCreatedResponse({ description: 'The account (never its password)' })
  @ApiConflictResponse({ description: 'conflict: username or email taken' })
  register(@Body() input: RegisterDto, @Ip() ip: string): Promise<RegisteredAccount> {
    return this.accounts.register(input, ip);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'First-party login: the token response of the password grant' })
  @ApiOkResponse({ description: 'Token response, Cache-Control: no-store' })
  login(@Body() input: LoginDto, @Ip() ip: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return this.accounts.login(input, ip);
  }

  @Authenticated()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the session: its refresh tokens and the current access token' })
  logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    return this.accounts.logout(principal);
  }

  @Authenticated()
  @Get('me')
  @ApiOperation({ summary: 'Who the access token speaks for' })
  me(@CurrentPrincipal() principal: Principal): Me {
    return this.accounts.me(principal);
  }
}

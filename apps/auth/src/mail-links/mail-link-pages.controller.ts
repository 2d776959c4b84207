import { Controller, Get, Headers, Post, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { RawParameters, send } from '../authorize/browser-answer';
import { ClientAddress } from '../login-limits/client-address';
import { MailLinkPages } from './mail-link-pages.service';

type Source = Record<string, unknown>;

/** The pages a person reaches from the login page or from a mail (text/html). */
@ApiTags('accounts')
@Controller('auth')
export class MailLinkPagesController {
  constructor(private readonly pages: MailLinkPages) {}

  @Public()
  @Get('password/forgot')
  @ApiOperation({ summary: 'The forgot-password page: organisation and email address (text/html)' })
  @ApiOkResponse({ description: 'The page (text/html)' })
  forgot(@RawParameters('query') query: Source, @Headers('cookie') cookie: string | undefined, @Res() reply: FastifyReply): void {
    send(reply, this.pages.forgotForm(query, cookie), false);
  }

  @Public()
  @Post('password/forgot/form')
  @ApiExcludeEndpoint()
  async forgotByForm(
    @RawParameters('body') form: Source,
    @Headers('cookie') cookie: string | undefined,
    @ClientAddress() ip: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    send(reply, await this.pages.forgotSubmit(form, cookie, ip), true);
  }

  @Public()
  @Get('password/reset')
  @ApiOperation({ summary: "The reset link's page: a form for the new password (text/html)" })
  @ApiOkResponse({ description: 'The page (text/html); 400 when the link does not work' })
  async reset(@RawParameters('query') query: Source, @Headers('cookie') cookie: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.pages.resetForm(query, cookie), false);
  }

  @Public()
  @Post('password/reset/form')
  @ApiExcludeEndpoint()
  async resetByForm(
    @RawParameters('body') form: Source,
    @Headers('cookie') cookie: string | undefined,
    @ClientAddress() ip: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    send(reply, await this.pages.resetSubmit(form, cookie, ip), true);
  }

  @Public()
  @Get('email/verify')
  @ApiOperation({ summary: "The verification link's page: a button that confirms the address (text/html)" })
  @ApiOkResponse({ description: 'The page (text/html); 400 when the link does not work' })
  async verify(@RawParameters('query') query: Source, @Headers('cookie') cookie: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.pages.verifyForm(query, cookie), false);
  }

  @Public()
  @Post('email/verify/form')
  @ApiExcludeEndpoint()
  async verifyByForm(
    @RawParameters('body') form: Source,
    @Headers('cookie') cookie: string | undefined,
    @ClientAddress() ip: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    send(reply, await this.pages.verifySubmit(form, cookie, ip), true);
  }
}

import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { MailModule } from '../mail/mail.module';
import { AccountLinkEntity } from './account-link.entity';
import { AccountLinks } from './account-links.repository';
import { EmailVerification } from './email-verification.service';
import { MailDelivery } from './mail-delivery';
import { MailLinkLimits } from './mail-link-limits';
import { MailLinkPages } from './mail-link-pages.service';
import { MailLinkPagesController } from './mail-link-pages.controller';
import { MailLinksController } from './mail-links.controller';
import { PasswordReset } from './password-reset.service';

/**
 * Password reset and email verification by mail links. Global so that registration (accounts)
 * and the Admin API reach it without an import cycle; it reads the OAuth module's exports.
 */
@Global()
@Module({
  imports: [MailModule, TypeOrmModule.forFeature([AccountLinkEntity, AccountEntity])],
  controllers: [MailLinksController, MailLinkPagesController],
  providers: [AccountLinks, MailDelivery, MailLinkLimits, PasswordReset, EmailVerification, MailLinkPages],
  exports: [PasswordReset, EmailVerification],
})
export class MailLinksModule {}

import { ApiProperty } from '@nestjs/swagger';

/** The one answer to a mail request, whether or not an account has the address. */
export class MailRequestAccepted {
  @ApiProperty({ example: 'If an account has this address, a message is on its way to it.' }) message!: string;
}

export const MAIL_REQUEST_ACCEPTED: MailRequestAccepted = { message: 'If an account has this address, a message is on its way to it.' };

/** An administrator's forced reset: the account's sign-ins are ended and the link is mailed. */
export class PasswordResetForced {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Where the link went' }) email!: string;
  @ApiProperty({ description: 'Browser sessions ended' }) sessionsEnded!: number;
  @ApiProperty({ description: 'Refresh token families revoked' }) refreshFamiliesRevoked!: number;
  @ApiProperty({ format: 'date-time', description: 'When the link stops working' }) linkExpiresAt!: string;
}

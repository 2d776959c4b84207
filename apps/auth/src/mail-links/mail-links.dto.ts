import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { LINK_TOKEN_SHAPE } from './link-token';

const TENANT = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Who asks for a mail: a tenant and an address, whether or not an account has it. */
export class MailRequestDto {
  @ApiProperty({ example: 'acme' }) @IsString() @Matches(TENANT) tenant!: string;
  @ApiProperty({ example: 'alice@acme.test' }) @IsEmail() @MaxLength(254) email!: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The token of the reset link (43 characters, base64url)' })
  @IsString()
  @Matches(LINK_TOKEN_SHAPE, { message: 'token must be the token of a reset link' })
  token!: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MinLength(1) @MaxLength(1024) password!: string;
}

export class VerifyEmailDto {
  @ApiProperty({ description: 'The token of the verification link (43 characters, base64url)' })
  @IsString()
  @Matches(LINK_TOKEN_SHAPE, { message: 'token must be the token of a verification link' })
  token!: string;
}

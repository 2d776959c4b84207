import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

const TENANT = /^[a-z0-9][a-z0-9-]{0,62}$/;
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

export class RegisterDto {
  @ApiProperty({ example: 'acme' }) @IsString() @Matches(TENANT) tenant!: string;
  @ApiProperty({ example: 'alice' }) @IsString() @Matches(USERNAME) username!: string;
  @ApiProperty({ example: 'alice@acme.test' }) @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MinLength(1) @MaxLength(1024) password!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'acme' }) @IsString() @Matches(TENANT) tenant!: string;
  @ApiProperty({ example: 'alice' }) @IsString() @MinLength(1) @MaxLength(256) username!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(1024) password!: string;
  /** The second factor of an enrolled account: a TOTP code or a recovery code. */
  @ApiPropertyOptional({ example: '123456' }) @IsOptional() @IsString() @MaxLength(32) otp?: string;
  @ApiPropertyOptional({ description: 'The device credential an earlier login of this account returned (device_token)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  device_token?: string;
}

export interface RegisteredAccount {
  id: string;
  tenant: string;
  username: string;
  email: string;
  emailVerified: boolean;
  createdAt: string;
}

export interface Me {
  sub: string;
  tenantId?: string;
  clientId: string;
  email?: string;
  roles: readonly string[];
  scopes: readonly string[];
}

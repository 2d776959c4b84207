import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';

/** The form of `POST /auth/session/introspect`: the session secret and, optionally, client_secret_post. */
export class SessionReferenceDto {
  @IsString() @IsNotEmpty() @MaxLength(256) session!: string;
  @IsOptional() @IsString() @MaxLength(128) client_id?: string;
  @IsOptional() @IsString() @MaxLength(512) client_secret?: string;
}

/** `POST /auth/session/mfa`: the challenge's token and the second factor. */
export class SessionCodeDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1024) mfa_token!: string;
  @ApiProperty({ description: 'A TOTP code (6 digits) or a recovery code', example: '123456' })
  @IsString()
  @Matches(/^[A-Za-z0-9 -]{6,32}$/)
  otp!: string;
}

/** RFC 7662-style: an active session, the identity it speaks for as the account stands now. */
export interface ActiveSession {
  active: true;
  sub: string;
  tenant_id: string;
  client_id: string;
  scope: string;
  roles: string[];
  sid: string;
  /** Seconds since the epoch: the idle expiry as just slid, or the absolute one if earlier. */
  exp: number;
  iat: number;
  email?: string;
  acr: string;
  amr: string[];
  auth_time: number;
}

export type SessionIntrospection = { active: false } | ActiveSession;

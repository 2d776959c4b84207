import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** The form of `POST /auth/session/introspect`: the session secret and, optionally, client_secret_post. */
export class SessionReferenceDto {
  @IsString() @IsNotEmpty() @MaxLength(256) session!: string;
  @IsOptional() @IsString() @MaxLength(128) client_id?: string;
  @IsOptional() @IsString() @MaxLength(512) client_secret?: string;
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
}

export type SessionIntrospection = { active: false } | ActiveSession;

import { CommonSettings, Setting, type SettingsIssue } from '@gatehouse/config';
import { IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import type { UpstreamSetting } from './routes/route';

const HTTP_URL = /^https?:\/\/\S+$/;

/** Settings of the gateway (DESIGN.md sections 5 and 8). */
export class GatewaySettings extends CommonSettings {
  /** Default: the auth app on this host, `AUTH_PORT` (http://127.0.0.1:3001). */
  @Setting() @IsOptional() @Matches(HTTP_URL, { message: 'AUTH_INTERNAL_URL must be an http(s) URL' }) AUTH_INTERNAL_URL?: string;
  /** Default: the users app on this host, `USERS_PORT`. */
  @Setting() @IsOptional() @Matches(HTTP_URL, { message: 'USERS_URL must be an http(s) URL' }) USERS_URL?: string;
  /** Default: the orders app on this host, `ORDERS_PORT`. */
  @Setting() @IsOptional() @Matches(HTTP_URL, { message: 'ORDERS_URL must be an http(s) URL' }) ORDERS_URL?: string;
  @Setting() @IsString() GATEWAY_ROUTES_FILE: string = 'config/gateway.routes.yaml';
  /** Bytes; a larger request body is refused with 413 before or while it streams upstream. */
  @Setting() @IsInt() @Min(1024) GATEWAY_BODY_LIMIT: number = 10 * 1024 * 1024;

  upstream(name: UpstreamSetting): string {
    switch (name) {
      case 'AUTH_INTERNAL_URL':
        return this.AUTH_INTERNAL_URL ?? `http://127.0.0.1:${this.AUTH_PORT}`;
      case 'USERS_URL':
        return this.USERS_URL ?? `http://127.0.0.1:${this.USERS_PORT}`;
      case 'ORDERS_URL':
        return this.ORDERS_URL ?? `http://127.0.0.1:${this.ORDERS_PORT}`;
    }
  }

  /** The gateway keeps no data of its own, so it needs no database in production either. */
  override securityIssues(): SettingsIssue[] {
    return super.securityIssues().filter((issue) => issue.key !== 'DATABASE_URL');
  }
}

import { CommonSettings, type SettingsIssue, Setting } from '@gatehouse/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy } from 'class-validator';

import { SIGNING_ALGS } from './keys/signing-alg';

// RFC 6265 section 4.1.1 allows more; this subset needs no quoting anywhere.
const COOKIE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Settings of the authorization server (DESIGN.md sections 3 and 8). */
export class AuthSettings extends CommonSettings {
  /** The public origin: tokens carry it as `iss`, so it is the gateway's URL, not auth's own. */
  @Setting() @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'AUTH_ISSUER must be an http(s) URL' })
  AUTH_ISSUER: string = 'http://localhost:3000';
  @Setting() @IsString() @MinLength(1) API_AUDIENCE: string = 'gatehouse-api';
  /** Seconds. */
  @Setting() @IsInt() @Min(5) @Max(86_400) ACCESS_TOKEN_TTL: number = 600;
  /** Seconds, the absolute lifetime of a refresh token family. */
  @Setting() @IsInt() @Min(60) REFRESH_TOKEN_TTL: number = 30 * 86_400;
  /** Seconds a refresh token family may sit unused before it expires. */
  @Setting() @IsInt() @Min(60) REFRESH_TOKEN_IDLE_TTL: number = 7 * 86_400;
  /** Seconds a browser session lasts at most (`POST /auth/session`), however active it is. */
  @Setting() @IsInt() @Min(60) SESSION_TTL: number = 8 * 3600;
  /** Seconds a browser session may sit unused before it expires; every use slides it forward. */
  @Setting() @IsInt() @Min(60) SESSION_IDLE_TTL: number = 30 * 60;
  /** The session cookie's name; must equal the gateway's `SESSION_COOKIE_NAME`. */
  @Setting() @Matches(COOKIE_NAME, { message: 'SESSION_COOKIE_NAME must be 1-64 letters, digits, dots, dashes or underscores' })
  SESSION_COOKIE_NAME: string = 'gh_session';
  @Setting() @IsIn(SIGNING_ALGS) SIGNING_ALG: (typeof SIGNING_ALGS)[number] = 'RS256';
  /**
   * Seconds a new signing key is published before it signs, so verifiers' JWKS caches hold it
   * before the first token naming it arrives.
   */
  @Setting() @IsInt() @Min(1) @Max(7 * 86_400) KEY_PUBLISH_AHEAD: number = 600;
  /** Seconds between automatic key rotations; 0 rotates only on demand (admin API). */
  @Setting() @IsInt() @Min(0) @ValidateBy({
    name: 'rotationInterval',
    validator: {
      // A shorter interval would schedule a new key before the previous one ever signed.
      validate: (value: unknown, args) =>
        value === 0 || (typeof value === 'number' && value > (args?.object as AuthSettings).KEY_PUBLISH_AHEAD),
      defaultMessage: () => 'KEY_ROTATION_INTERVAL must be 0 or longer than KEY_PUBLISH_AHEAD',
    },
  })
  KEY_ROTATION_INTERVAL: number = 0;
  /** Encrypts private signing keys at rest; generated into the data folder in development. */
  @Setting('secret') @IsOptional() @IsString() @MinLength(32, {
    message: 'KEYS_ENCRYPTION_SECRET must be at least 32 characters',
  })
  KEYS_ENCRYPTION_SECRET?: string;
  @Setting() @IsOptional() @IsString() BOOTSTRAP_FILE?: string;

  override securityIssues(): SettingsIssue[] {
    const issues = super.securityIssues();
    if (!this.KEYS_ENCRYPTION_SECRET) {
      issues.push({
        key: 'KEYS_ENCRYPTION_SECRET',
        message: 'unset: private signing keys would be encrypted with a key kept next to them',
      });
    }
    if (this.isProduction && !this.AUTH_ISSUER.startsWith('https://')) {
      issues.push({ key: 'AUTH_ISSUER', message: 'the issuer must be an https URL in production' });
    }
    return issues;
  }
}

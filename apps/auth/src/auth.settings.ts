import { CommonSettings, type SettingsIssue, Setting } from '@gatehouse/config';
import { PLATFORM_ONLY_SCOPES } from '@gatehouse/contracts';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';

import { SIGNING_ALGS } from './keys/signing-alg';

// RFC 6265 section 4.1.1 allows more; this subset needs no quoting anywhere.
const COOKIE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const ADDRESS_LIST = /^$|^[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*$/;
// RFC 6749 scope tokens separated by spaces, possibly none.
const SCOPE_LIST = /^$|^[\x21\x23-\x5B\x5D-\x7E]+( +[\x21\x23-\x5B\x5D-\x7E]+)*$/;

/** A setting that must be at least another one, named by `other`. */
function AtLeast(other: 'LOGIN_DELAY_BASE' | 'LOGIN_DELAY_MAX', strictly = false): PropertyDecorator {
  return ValidateBy({
    name: 'atLeast',
    validator: {
      validate: (value: unknown, args) => {
        const bound = (args?.object as Partial<Record<typeof other, unknown>>)[other];
        return typeof value === 'number' && typeof bound === 'number' && (strictly ? value > bound : value >= bound);
      },
      defaultMessage: (args) => `${args?.property ?? 'value'} must be ${strictly ? 'more than' : 'at least'} ${other}`,
    },
  });
}

/** Settings of the authorization server. */
export class AuthSettings extends CommonSettings {
  /**
   * The public origin: tokens carry it as `iss`, so it is the gateway's URL, not auth's own.
   * Unset: the gateway's own address (`http://127.0.0.1:<GATEWAY_PORT>`), the one `npm start` prints.
   */
  @Setting()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'AUTH_ISSUER must be an http(s) URL' })
  AUTH_ISSUER: string = 'http://127.0.0.1:3000';
  @Setting() @IsString() @MinLength(1) API_AUDIENCE: string = 'gatehouse-api';
  /**
   * The scopes a tenant's clients may hold (space-separated), for every tenant without its own
   * list (set by platform administrators): the user-facing API's. Service and platform scopes can
   * never be listed, here or per tenant, so no setting lets a tenant act as a service.
   */
  @Setting()
  @Matches(SCOPE_LIST, { message: 'TENANT_CLIENT_SCOPES must be space-separated scopes' })
  @ValidateBy({
    name: 'noPlatformScopes',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && !value.split(' ').some((scope) => PLATFORM_ONLY_SCOPES.includes(scope)),
      defaultMessage: () => `TENANT_CLIENT_SCOPES must not list a platform-only scope (${PLATFORM_ONLY_SCOPES.join(', ')})`,
    },
  })
  TENANT_CLIENT_SCOPES: string = 'profile orders:read orders:write';
  /** Seconds. */
  @Setting() @IsInt() @Min(5) @Max(86_400) ACCESS_TOKEN_TTL: number = 600;
  /** Seconds, the absolute lifetime of a refresh token family. */
  @Setting() @IsInt() @Min(60) REFRESH_TOKEN_TTL: number = 30 * 86_400;
  /** Seconds a refresh token family may sit unused before it expires. */
  @Setting() @IsInt() @Min(60) REFRESH_TOKEN_IDLE_TTL: number = 7 * 86_400;
  /**
   * Seconds after a rotation during which the same client presenting the same refresh token again
   * (two tabs refreshing at once) gets the same new pair instead of revoking the family; 0: every
   * second use revokes.
   */
  @Setting() @IsInt() @Min(0) @Max(60) REFRESH_REUSE_GRACE: number = 2;
  /** Seconds a browser session lasts at most (`POST /auth/session`), however active it is. */
  @Setting() @IsInt() @Min(60) SESSION_TTL: number = 8 * 3600;
  /** Seconds a browser session may sit unused before it expires; every use slides it forward. */
  @Setting() @IsInt() @Min(60) SESSION_IDLE_TTL: number = 30 * 60;
  /** The session cookie's name; must equal the gateway's `SESSION_COOKIE_NAME`. */
  @Setting()
  @Matches(COOKIE_NAME, { message: 'SESSION_COOKIE_NAME must be 1-64 letters, digits, dots, dashes or underscores' })
  SESSION_COOKIE_NAME: string = 'gh_session';
  @Setting() @IsIn(SIGNING_ALGS) SIGNING_ALG: (typeof SIGNING_ALGS)[number] = 'RS256';
  /**
   * Seconds a new signing key is published before it signs, so verifiers' JWKS caches hold it
   * before the first token naming it arrives.
   */
  @Setting() @IsInt() @Min(1) @Max(7 * 86_400) KEY_PUBLISH_AHEAD: number = 600;
  /** Seconds between automatic key rotations; 0 rotates only on demand (admin API). */
  @Setting()
  @IsInt()
  @Min(0)
  @ValidateBy({
    name: 'rotationInterval',
    validator: {
      // A shorter interval would schedule a new key before the previous one ever signed.
      validate: (value: unknown, args) => value === 0 || (typeof value === 'number' && value > (args?.object as AuthSettings).KEY_PUBLISH_AHEAD),
      defaultMessage: () => 'KEY_ROTATION_INTERVAL must be 0 or longer than KEY_PUBLISH_AHEAD',
    },
  })
  KEY_ROTATION_INTERVAL: number = 0;
  /** Encrypts private signing keys at rest; generated into the data folder in development. */
  @Setting('secret')
  @IsOptional()
  @IsString()
  @MinLength(32, {
    message: 'KEYS_ENCRYPTION_SECRET must be at least 32 characters',
  })
  KEYS_ENCRYPTION_SECRET?: string;
  @Setting() @IsOptional() @IsString() BOOTSTRAP_FILE?: string;
  /**
   * The gateway's: the sign-in page of a platform client reached at `<tenant>.<TENANT_BASE_HOST>`
   * signs people of that tenant in, without asking for it.
   */
  @Setting() @IsOptional() @Matches(/^[a-z0-9.-]+$/, { message: 'TENANT_BASE_HOST must be a host name' }) TENANT_BASE_HOST?: string;
  /**
   * Seconds a client and a tenant read by the token endpoint are remembered; 0 reads them on every
   * request. A change through this instance's Admin API (a disabled client, a rotated secret, a
   * suspended tenant) counts here at once; another instance of auth sees it within this time.
   */
  @Setting() @IsInt() @Min(0) @Max(300) CLIENT_CACHE_TTL: number = 5;

  /**
   * Comma-separated addresses or CIDR blocks of the proxies in front of auth (the gateway's
   * addresses in a deployment); only from these is `X-Forwarded-For` believed when login limits
   * pick the client's address. Empty: the connection's peer is the client.
   */
  @Setting()
  @Matches(ADDRESS_LIST, { message: 'AUTH_TRUSTED_PROXIES must be comma-separated IP addresses or CIDR blocks' })
  AUTH_TRUSTED_PROXIES: string = '';
  /** Failed logins of one address on one account before each further one is delayed. */
  @Setting() @IsInt() @Min(1) LOGIN_FAILURE_THRESHOLD: number = 5;
  /** Seconds of the first delay past the threshold; each further failure doubles it. */
  @Setting() @IsInt() @Min(1) LOGIN_DELAY_BASE: number = 1;
  /** Seconds the doubling delay of one address on one account stops growing at. */
  @Setting() @IsInt() @AtLeast('LOGIN_DELAY_BASE') LOGIN_DELAY_MAX: number = 300;
  /** Seconds the failures of one address on one account are remembered after the last one. */
  @Setting() @IsInt() @AtLeast('LOGIN_DELAY_MAX', true) LOGIN_FAILURE_WINDOW: number = 900;
  /** Failed logins on one account, from all addresses together, that hold the account everywhere. */
  @Setting() @IsInt() @Min(1) LOGIN_ACCOUNT_FAILURE_CAP: number = 50;
  /** Seconds, from an account's first failure, over which `LOGIN_ACCOUNT_FAILURE_CAP` counts. */
  @Setting() @IsInt() @Min(1) LOGIN_ACCOUNT_CAP_WINDOW: number = 3600;
  /** Seconds an account is held, from every address, once the cap is reached; audited. */
  @Setting() @IsInt() @Min(1) LOGIN_ACCOUNT_CAP_DELAY: number = 900;
  /** Login attempts (any outcome) one address may make per `LOGIN_IP_WINDOW`. */
  @Setting() @IsInt() @Min(1) LOGIN_IP_LIMIT: number = 10;
  /** Seconds of the per-address login window. */
  @Setting() @IsInt() @Min(1) LOGIN_IP_WINDOW: number = 60;
  /** Login attempts (any outcome) one address may make on one username per `LOGIN_PAIR_WINDOW`. */
  @Setting() @IsInt() @Min(1) LOGIN_PAIR_LIMIT: number = 5;
  /** Seconds of the per-address-and-username login window. */
  @Setting() @IsInt() @Min(1) LOGIN_PAIR_WINDOW: number = 60;
  /**
   * Seconds a device credential (the device cookie, the password grant's `device_token`) is
   * recognised after its last successful login: its attempts count per device, never toward the
   * account cap, so no attacker can lock the person out of a device they use.
   */
  @Setting() @IsInt() @Min(3600) LOGIN_DEVICE_TTL: number = 90 * 86_400;

  /** Inactive introspection answers one client may receive per `INTROSPECTION_INACTIVE_WINDOW` (clients marked `introspect` are not counted). */
  @Setting() @IsInt() @Min(1) INTROSPECTION_INACTIVE_LIMIT: number = 100;
  /** Seconds of the per-client window of inactive introspection answers. */
  @Setting() @IsInt() @Min(1) INTROSPECTION_INACTIVE_WINDOW: number = 60;

  /** Days audit events are kept; older ones are purged hourly, in batches. 0 keeps them forever. */
  @Setting() @IsInt() @Min(0) @Max(36_500) AUDIT_RETENTION_DAYS: number = 365;
  /**
   * Mail is sent through this SMTP server (`smtp://` or `smtps://`, credentials in the URL). Unset:
   * every message is written to the outbox folder under `DATA_DIR` instead (development).
   */
  @Setting('url-with-credentials')
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;
  /** The From of every message, an address or `Name <address>`. */
  @Setting() @IsString() @MinLength(3) @MaxLength(320) MAIL_FROM: string = 'Gatehouse <no-reply@gatehouse.invalid>';
  /** Seconds one message may take to reach the SMTP server, connection included. */
  @Setting() @IsInt() @Min(1) @Max(120) MAIL_SEND_TIMEOUT: number = 10;
  /** Seconds a password reset link stays usable (once). */
  @Setting() @IsInt() @Min(60) @Max(86_400) PASSWORD_RESET_TTL: number = 900;
  /** Seconds an email verification link stays usable (once). */
  @Setting() @IsInt() @Min(300) @Max(30 * 86_400) EMAIL_VERIFICATION_TTL: number = 86_400;
  /** Reset (and, counted apart, verification) mails one address may ask for per `MAIL_LINK_WINDOW`. */
  @Setting() @IsInt() @Min(1) MAIL_LINK_IP_LIMIT: number = 5;
  /** Reset (and, counted apart, verification) mails one email address may be sent per `MAIL_LINK_WINDOW`. */
  @Setting() @IsInt() @Min(1) MAIL_LINK_EMAIL_LIMIT: number = 3;
  /** Seconds of the windows of `MAIL_LINK_IP_LIMIT` and `MAIL_LINK_EMAIL_LIMIT`. */
  @Setting() @IsInt() @Min(60) MAIL_LINK_WINDOW: number = 3600;

  get tenantClientScopes(): string[] {
    return this.TENANT_CLIENT_SCOPES.split(' ').filter(Boolean);
  }

  get trustedProxies(): string[] {
    return this.AUTH_TRUSTED_PROXIES.split(',').filter(Boolean);
  }

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

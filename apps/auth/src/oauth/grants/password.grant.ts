import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { OAuthError } from '@gatehouse/contracts';
import type { AccountEntity } from '../../accounts/account.entity';
import { AccountsRepository } from '../../accounts/accounts.repository';
import { PasswordHasher } from '../../accounts/passwords';
import { AuditTrail } from '../../audit/audit.service';
import { AuthSettings } from '../../auth.settings';
import type { ClientEntity } from '../../clients/client.entity';
import { type KnownDevice, LoginDevices } from '../../login-limits/login-devices.service';
import { LoginLimits } from '../../login-limits/login-limits.service';
import { TenantLookup } from '../../tenants/tenant-lookup';
import { allowedScopesOf } from '../../tenants/tenant-scopes';
import { checkClientAudience, checkClientReach } from '../checks/check-client-reach';
import { checkScope } from '../checks/check-scope';
import { checkTenantActive } from '../checks/check-tenant-active';
import type { TokenRequestDto, TokenResponse } from '../token-request.dto';
import { TokenMinter } from './token-minter';
import { checkEmailVerified } from '../../mail-links/check-email-verified';
import { SECOND_FACTOR_WORDS, SecondFactor } from '../../mfa/second-factor.service';

// One answer for an unknown tenant, an unknown user, a disabled account and a wrong password.
const BAD_CREDENTIALS = 'The username or password is incorrect.';

/** RFC 6749 section 4.3, for first-party clients only (checked before this runs). */
@Injectable()
export class PasswordGrant {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly tenants: TenantLookup,
    private readonly passwords: PasswordHasher,
    private readonly minter: TokenMinter,
    private readonly audit: AuditTrail,
    private readonly limits: LoginLimits,
    private readonly devices: LoginDevices,
    private readonly settings: AuthSettings,
    private readonly secondFactor: SecondFactor,
  ) {}

  async handle(client: ClientEntity, form: TokenRequestDto, ip: string): Promise<TokenResponse> {
    const { account, scope, known } = await this.authenticate(client, form, ip);
    const second = await this.secondFactor.afterPassword(account, scope, form.otp, { ip, deviceId: known?.id });
    if (second.kind === 'pending') {
      throw new OAuthError('invalid_grant', SECOND_FACTOR_WORDS[second.awaiting === 'code' ? 'needed' : 'enrol'], `second factor ${second.awaiting} required`);
    }
    const authentication = { amr: second.amr, authTime: Math.floor(Date.now() / 1000) };
    const response = await this.minter.forAccount(client, account, scope, randomUUID(), authentication);
    // The device credential belongs to a completed login: handed out only once every factor was given.
    const device = await this.devices.remember(account, known);
    await this.audit.record({ type: 'login', outcome: 'success', actor: account.id, tenantId: account.tenantId, clientId: client.id, ip, details: { scope } });
    return { ...response, device_token: device };
  }

  /**
   * The account a username and password stand for, checked and audited on failure exactly as the
   * grant does, so every login path (tokens, browser sessions) refuses alike. Login limits run
   * first, before anything about the tenant or account is read (see LoginLimits), counted per
   * device when `device_token` is a device credential of the account named. Answers the device
   * recognised, if any: the caller remembers it (see LoginDevices.remember) once the login is
   * complete, after the second factor.
   */
  async authenticate(
    client: ClientEntity,
    form: TokenRequestDto,
    ip: string,
  ): Promise<{ account: AccountEntity; scope: string; known: KnownDevice | undefined }> {
    if (!form.username || form.password === undefined) {
      throw new OAuthError('invalid_request', 'username and password are required.');
    }
    // Before the password is looked at: a client that may mint nothing here costs no guess.
    checkClientAudience(client, this.settings.API_AUDIENCE);
    const tenantId = client.tenantId ?? form.tenant;
    if (!tenantId) throw new OAuthError('invalid_request', 'tenant is required for this client.');
    if (client.tenantId && form.tenant && form.tenant !== client.tenantId) {
      throw new OAuthError('invalid_request', 'tenant does not match the client.');
    }
    const known = await this.devices.recognise(tenantId, form.username, form.device_token);
    const attempt = { ip, tenantId, username: form.username, deviceId: known?.id };
    await this.limits.admit(attempt);
    // One read: a suspended tenant is refused plainly, an unknown one like bad credentials.
    const tenant = await checkTenantActive(this.tenants, tenantId);
    const account = tenant?.status === 'active' ? await this.accounts.findByUsername(tenantId, form.username) : null;
    const matched = await this.passwords.verify(account?.passwordHash, form.password);
    if (!account || !matched || account.status !== 'active') {
      const failures = await this.limits.failed(attempt);
      await this.audit.record({
        type: 'login',
        outcome: 'failure',
        tenantId,
        clientId: client.id,
        ip,
        details: { username: form.username.slice(0, 256), reason: !account ? 'unknown' : !matched ? 'password' : 'disabled', failures },
      });
      throw new OAuthError('invalid_grant', BAD_CREDENTIALS, 'login failed');
    }
    await this.limits.succeeded(attempt);
    checkEmailVerified(tenant, account);
    const reach = checkClientReach(client, this.settings.API_AUDIENCE, allowedScopesOf(tenant, this.settings.tenantClientScopes));
    const scope = checkScope(form.scope, reach.scopes);
    return { account, scope, known };
  }
}

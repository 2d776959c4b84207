import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError, type Principal } from '@gatehouse/contracts';
import type { CredentialSource } from '@gatehouse/security';
import type { Repository } from 'typeorm';
import { AuditTrail } from '../audit/audit.service';
import { ClientEntity } from '../clients/client.entity';
import { FIRST_PARTY_CLIENT_ID } from '../clients/first-party-client';
import { PasswordGrant } from '../oauth/grants/password.grant';
import type { TokenResponse } from '../oauth/token-request.dto';
import { RevocationEvents } from '../revocations/revocation-events.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { Sessions } from '../sessions/sessions.service';
import { RefreshTokens } from '../tokens/refresh-tokens.service';
import { AccessTokenReader } from '../tokens/access-token.reader';
import { AccessTokenVerifier } from '../tokens/access-token.verifier';
import type { LoginDto, Me, RegisterDto, RegisteredAccount } from './account.dto';
import { AccountsRepository } from './accounts.repository';
import { UserEvents } from './user-events';
import { PasswordHasher, passwordWeakness } from './passwords';
import { EmailVerification } from '../mail-links/email-verification.service';

/** Registration and the first-party JSON login and logout. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly tenants: TenantsRepository,
    private readonly passwords: PasswordHasher,
    private readonly passwordGrant: PasswordGrant,
    private readonly refreshTokens: RefreshTokens,
    private readonly reader: AccessTokenReader,
    private readonly verifier: AccessTokenVerifier,
    private readonly sessions: Sessions,
    private readonly audit: AuditTrail,
    private readonly events: UserEvents,
    @InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>,
    private readonly revocations: RevocationEvents,
    private readonly verification: EmailVerification,
  ) {}

  async register(input: RegisterDto, ip?: string): Promise<RegisteredAccount> {
    const tenant = await this.tenants.findActive(input.tenant);
    if (!tenant) throw new DomainError('tenant_not_found', `tenant ${input.tenant} unknown or suspended`);
    const weakness = passwordWeakness(input.password, input.username);
    if (weakness) throw new DomainError('invalid_request', 'weak password', {}, weakness);
    if (await this.accounts.taken(tenant.id, input.username, input.email)) {
      throw new DomainError('conflict', 'username or email taken', {}, 'The username or email is already registered.');
    }
    const account = await this.accounts.create(tenant.id, {
      username: input.username,
      email: input.email,
      passwordHash: await this.passwords.hash(input.password),
    });
    await this.audit.record({ type: 'account.registered', outcome: 'success', actor: account.id, tenantId: tenant.id, ip });
    await this.verification.registered(account, tenant);
    this.events.registered({
      tenantId: tenant.id,
      accountId: account.id,
      username: account.username,
      email: account.email,
      registeredAt: account.createdAt.toISOString(),
    });
    return {
      id: account.id,
      tenant: tenant.id,
      username: account.username,
      email: account.email,
      emailVerified: account.emailVerifiedAt !== null,
      createdAt: account.createdAt.toISOString(),
    };
  }

  async login(input: LoginDto, ip: string): Promise<TokenResponse> {
    const client = await this.clients.findOneByOrFail({ id: FIRST_PARTY_CLIENT_ID });
    return this.passwordGrant.handle(client, { grant_type: 'password', ...input }, ip);
  }

  /**
   * Ends what the request presents. A bearer token (required when there is no session cookie, and
   * checked first, so a refused one ends nothing): its session's refresh token families and the
   * token itself. The session cookie: every browser session it names. Answers the Set-Cookie value
   * that clears the cookie when one was sent.
   */
  async logout(headers: CredentialSource['headers']): Promise<string | undefined> {
    const secrets = this.sessions.secretsIn(headers.cookie);
    if (headers.authorization !== undefined || secrets.length === 0) {
      const principal = await this.verifier.verify({ headers });
      if (principal.sessionId) await this.refreshTokens.revokeSession(principal.sessionId);
      await this.reader.revoke(principal.tokenId, new Date(principal.expiresAt * 1000));
      // The session's sid covers the token too; the jti covers a token issued without one.
      if (principal.sessionId) await this.revocations.session(principal.sessionId);
      else await this.revocations.accessToken(principal.tokenId, principal.expiresAt);
      await this.audit.record({ type: 'logout', outcome: 'success', actor: principal.subject, tenantId: principal.tenantId, clientId: principal.clientId });
    }
    return secrets.length > 0 ? this.sessions.end(secrets) : undefined;
  }

  me(principal: Principal): Me {
    const { subject, tenantId, clientId, email, roles, scopes } = principal;
    return { sub: subject, tenantId, clientId, email, roles, scopes };
  }
}

import { Injectable } from '@nestjs/common';
import { OAuthError } from '@gatehouse/contracts';
import { AuthSettings } from '../auth.settings';
import { ClientLookup } from '../clients/client-lookup';
import { checkClientReach } from '../oauth/checks/check-client-reach';
import { checkTenantActive } from '../oauth/checks/check-tenant-active';
import { LiveSession, Sessions } from '../sessions/sessions.service';
import { TenantLookup } from '../tenants/tenant-lookup';
import { allowedScopesOf } from '../tenants/tenant-scopes';
import { AuthorizationCodes } from './authorization-codes.service';
import {
  type AuthorizationParameters,
  type AuthorizationRequest,
  checkAuthorizationRequest,
  readParameters,
  redirectTo,
  verifyClientAndRedirect,
} from './authorization-request';
import { Consents } from './consents.service';
import { OIDC_SCOPES } from './oidc-scopes';

/** What the endpoint does next: show the login page, ask consent, or send the browser back. */
export type Outcome =
  | { kind: 'login'; request: AuthorizationRequest }
  | { kind: 'consent'; request: AuthorizationRequest; live: LiveSession }
  | { kind: 'redirect'; location: string };

/**
 * The authorization endpoint's decisions (RFC 6749 section 4.1, OpenID Connect Core section 3.1):
 * verify the client and redirect URI (errors shown, never redirected), then the rest of the request
 * (errors redirected), then who is signed in, then consent, then a code.
 */
@Injectable()
export class Authorization {
  constructor(
    private readonly settings: AuthSettings,
    private readonly clients: ClientLookup,
    private readonly tenants: TenantLookup,
    private readonly sessions: Sessions,
    private readonly codes: AuthorizationCodes,
    private readonly consents: Consents,
  ) {}

  get issuer(): string {
    return this.settings.AUTH_ISSUER.replace(/\/$/, '');
  }

  /**
   * The checked request. Throws OAuthError either plainly (not redirectable: show it) or as a
   * RedirectableError carrying where it goes.
   */
  async read(source: Record<string, unknown>, hostTenant?: string): Promise<AuthorizationRequest> {
    const parameters = readParameters(source);
    const verified = await verifyClientAndRedirect(parameters, this.clients);
    try {
      const tenant = verified.client.tenantId ? await checkTenantActive(this.tenants, verified.client.tenantId) : null;
      const reach = checkClientReach(verified.client, this.settings.API_AUDIENCE, allowedScopesOf(tenant, this.settings.tenantClientScopes));
      return checkAuthorizationRequest(verified, parameters, [...new Set([...reach.scopes, ...OIDC_SCOPES])], hostTenant);
    } catch (error) {
      if (error instanceof OAuthError) {
        const answer = authorizationEndpointError(error);
        throw new RedirectableError(answer, this.errorLocation(verified.redirectUri, parameters, answer));
      }
      throw error;
    }
  }

  /** Where an error goes once the redirect URI is verified: `error`, `error_description`, `state`, `iss`. */
  errorLocation(redirectUri: string, parameters: AuthorizationParameters, error: OAuthError): string {
    const fields = { error: error.code, ...(error.description ? { error_description: error.description } : {}) };
    return redirectTo({ redirectUri, state: parameters.state }, this.issuer, fields);
  }

  /** Who is signed in, by the sign-in cookie: only within the request's tenant when it names one. */
  async signedIn(request: AuthorizationRequest, secret: string | undefined): Promise<LiveSession | null> {
    const live = secret ? await this.sessions.resume(secret) : null;
    if (!live || (request.tenantId && live.account.tenantId !== request.tenantId)) return null;
    return live;
  }

  /**
   * The next step for a request and the session the browser holds. `fresh`: the person has just
   * entered their password in this very request, so `prompt=login` and `max_age` are satisfied. A
   * session without a second factor does not satisfy `acr_values` asking for one: sign in again.
   */
  async decide(request: AuthorizationRequest, live: LiveSession | null, fresh = false): Promise<Outcome> {
    const tooOld = request.maxAge !== undefined && live !== null && Date.now() - live.session.createdAt.getTime() > request.maxAge * 1000;
    const tooWeak = request.requireMfa && live !== null && !live.session.amr.includes('otp');
    if (!fresh && (!live || request.prompts.includes('login') || tooOld || tooWeak)) {
      if (request.prompts.includes('none')) return this.refuse(request, new OAuthError('login_required', 'The person must sign in.'));
      return { kind: 'login', request };
    }
    const session = live!;
    if (await this.needsConsent(request, session)) {
      if (request.prompts.includes('none')) return this.refuse(request, new OAuthError('consent_required', 'The person must allow this client.'));
      return { kind: 'consent', request, live: session };
    }
    return this.issueCode(request, session);
  }

  async issueCode(request: AuthorizationRequest, { session, account }: LiveSession): Promise<Outcome> {
    const code = await this.codes.issue({
      tenantId: account.tenantId,
      clientId: request.client.id,
      accountId: account.id,
      sid: session.id,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      nonce: request.nonce ?? null,
      scope: request.scope,
      authTime: session.createdAt,
    });
    return { kind: 'redirect', location: redirectTo(request, this.issuer, { code }) };
  }

  refuse(request: AuthorizationRequest, error: OAuthError): Outcome {
    return { kind: 'redirect', location: this.errorLocation(request.redirectUri, request.parameters, error) };
  }

  /** First-party clients are the platform's own: no consent. A third-party one asks once per scope. */
  private async needsConsent(request: AuthorizationRequest, { account }: LiveSession): Promise<boolean> {
    if (request.client.firstParty) return false;
    if (request.prompts.includes('consent')) return true;
    return !(await this.consents.covers(account.id, request.client.id, request.scope.split(' ').filter(Boolean)));
  }
}

/** An authorization error whose redirect URI is verified: it goes back to the client. */
export class RedirectableError extends Error {
  constructor(
    readonly error: OAuthError,
    readonly location: string,
  ) {
    super(error.message);
    this.name = 'RedirectableError';
  }
}

/**
 * The checks shared with the token endpoint speak its codes; the authorization endpoint has its own
 * list (RFC 6749 section 4.1.2.1), where a grant that may not be made (a suspended tenant) is
 * `access_denied`.
 */
function authorizationEndpointError(error: OAuthError): OAuthError {
  return error.code === 'invalid_grant' ? new OAuthError('access_denied', error.description, error.reason) : error;
}

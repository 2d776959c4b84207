import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError, OAuthError } from '@gatehouse/contracts';
import { toString as qrSvg } from 'qrcode';
import type { Repository } from 'typeorm';
import { ClientEntity } from '../clients/client.entity';
import { FIRST_PARTY_CLIENT_ID } from '../clients/first-party-client';
import { MfaFactors } from '../mfa/mfa-factors.service';
import { type PendingLogin, SECOND_FACTOR_WORDS, SecondFactor } from '../mfa/second-factor.service';
import { type LoginOrigin, Sessions } from '../sessions/sessions.service';
import { TenantLookup } from '../tenants/tenant-lookup';
import { Authorization } from './authorization.service';
import type { AuthorizationRequest } from './authorization-request';
import type { BrowserAnswer } from './browser-answer';
import { csrfMatches } from './browser-cookies';
import { codePage, enrolPage, recoveryCodesPage, type SecondStepModel } from './mfa-pages';
import { SignIn } from './sign-in.service';

const WRONG_CODE = 'That code is wrong, expired or already used. Try the next one.';
const EXPIRED = 'This sign-in has expired. Please enter your password again.';

const text = (value: unknown, max: number): string | undefined => (typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined);

/**
 * The sign-in pages after the password: the code of an enrolled person, or the enrolment of one
 * who must have a second factor, then the recovery codes. Each step carries the pending login
 * (signed, short-lived, not a session) and the CSRF token; the session opens only at the end.
 */
@Injectable()
export class SignInSecondStep {
  constructor(
    private readonly signIn: SignIn,
    private readonly authorization: Authorization,
    private readonly sessions: Sessions,
    private readonly secondFactor: SecondFactor,
    private readonly factors: MfaFactors,
    private readonly tenants: TenantLookup,
    @InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>,
  ) {}

  /** The login form; a password that needs a second step gets its page. */
  async login(
    form: Record<string, unknown>,
    cookieHeader: string | string[] | undefined,
    ip: string,
    hostTenant?: string,
    userAgent?: string,
  ): Promise<BrowserAnswer> {
    const answer = await this.signIn.login(form, cookieHeader, ip, hostTenant, userAgent);
    return answer.kind === 'pending' ? this.ask(answer.request, answer.awaiting, answer.token, answer.csrf) : answer;
  }

  /** The page that asks for what the pending login awaits. */
  async ask(request: AuthorizationRequest, awaiting: 'code' | 'enrol', mfaToken: string, csrf: string, error?: string, status = 200): Promise<BrowserAnswer> {
    const model = await this.model(request, csrf, mfaToken, error);
    if (awaiting === 'code') return this.page(request, status, codePage(model));
    const { account } = await this.secondFactor.pending(mfaToken, 'enrol');
    const offer = await this.factors.offer(account, model.tenantName ?? 'Gatehouse');
    const svg = await qrSvg(offer.otpauthUri, { type: 'svg', margin: 1, width: 200 });
    return this.page(request, status, enrolPage({ ...model, secret: offer.secret, qrSvg: svg }));
  }

  /** The code of an enrolled person: the session opens (with the device cookie), the request goes on. */
  async code(
    form: Record<string, unknown>,
    cookieHeader: string | string[] | undefined,
    ip: string,
    hostTenant?: string,
    userAgent?: string,
  ): Promise<BrowserAnswer> {
    const request = await this.authorization.read(form, hostTenant);
    const csrf = this.checkedCsrf(cookieHeader, form);
    if (!csrf) return this.signIn.answer({ kind: 'login', request }, { status: 403, error: EXPIRED });
    const token = text(form.mfa_token, 1024) ?? '';
    try {
      const origin = { userAgent, device: this.sessions.deviceCookie.read(cookieHeader) };
      const { account, scope, amr, known } = await this.secondFactor.complete(token, text(form.code, 32) ?? '', ip, origin.device);
      return this.open(request, { account, scope, amr, known }, ip, origin, csrf);
    } catch (error) {
      return this.refused(error, request, 'code', token, csrf);
    }
  }

  /** The first code of an enrolment: confirmed, and the recovery codes shown once. */
  async enrol(form: Record<string, unknown>, cookieHeader: string | string[] | undefined, ip: string, hostTenant?: string): Promise<BrowserAnswer> {
    const request = await this.authorization.read(form, hostTenant);
    const csrf = this.checkedCsrf(cookieHeader, form);
    if (!csrf) return this.signIn.answer({ kind: 'login', request }, { status: 403, error: EXPIRED });
    const token = text(form.mfa_token, 1024) ?? '';
    try {
      const { account, scope } = await this.secondFactor.pending(token, 'enrol');
      const codes = await this.factors.confirm({ account, ip }, text(form.code, 32) ?? '');
      const model = await this.model(request, csrf, this.secondFactor.ready(account, scope));
      return this.page(request, 200, recoveryCodesPage({ ...model, codes }));
    } catch (error) {
      return this.refused(error, request, 'enrol', token, csrf);
    }
  }

  /** After the recovery codes: both factors were given, the session opens. */
  async continue(
    form: Record<string, unknown>,
    cookieHeader: string | string[] | undefined,
    ip: string,
    hostTenant?: string,
    userAgent?: string,
  ): Promise<BrowserAnswer> {
    const request = await this.authorization.read(form, hostTenant);
    const csrf = this.checkedCsrf(cookieHeader, form);
    if (!csrf) return this.signIn.answer({ kind: 'login', request }, { status: 403, error: EXPIRED });
    try {
      const origin = { userAgent, device: this.sessions.deviceCookie.read(cookieHeader) };
      const { account, scope, known } = await this.secondFactor.pending(form.mfa_token, 'done', origin.device);
      return this.open(request, { account, scope, amr: ['pwd', 'otp'], known }, ip, origin, csrf);
    } catch (error) {
      if (error instanceof OAuthError && error.code === 'invalid_grant')
        return this.signIn.answer({ kind: 'login', request }, { status: 401, error: EXPIRED, csrf });
      throw error;
    }
  }

  /** The login is complete: the session opens, and the device it came from gets (or keeps) its device cookie. */
  private async open(
    request: AuthorizationRequest,
    login: PendingLogin & { amr: string[] },
    ip: string,
    origin: LoginOrigin,
    csrf: string,
  ): Promise<BrowserAnswer> {
    const client = await this.clients.findOneByOrFail({ id: FIRST_PARTY_CLIENT_ID });
    const live = await this.sessions.create(client, login.account, login.scope, login.amr, ip, origin, login.known);
    const cookies = [this.signIn.cookies.set(this.signIn.cookies.sso, live.secret), this.sessions.deviceCookie.set(live.device)];
    return this.signIn.answer(await this.authorization.decide(request, live, true), { cookies, csrf });
  }

  private refused(error: unknown, request: AuthorizationRequest, awaiting: 'code' | 'enrol', token: string, csrf: string): Promise<BrowserAnswer> {
    if (error instanceof DomainError && error.code === 'rate_limited') {
      const wait = error.headers['retry-after'] ?? '60';
      return this.ask(request, awaiting, token, csrf, `Too many attempts. Please wait ${wait} seconds, then try again.`, 429);
    }
    const wrong =
      (error instanceof OAuthError && error.description !== SECOND_FACTOR_WORDS.expired) || (error instanceof DomainError && error.code === 'invalid_otp');
    if (wrong) return this.ask(request, awaiting, token, csrf, WRONG_CODE, 401);
    if (error instanceof OAuthError || (error instanceof DomainError && error.code === 'conflict')) {
      return this.signIn.answer({ kind: 'login', request }, { status: 401, error: EXPIRED, csrf });
    }
    throw error;
  }

  private checkedCsrf(cookieHeader: string | string[] | undefined, form: Record<string, unknown>): string | undefined {
    const csrf = this.signIn.cookies.read(cookieHeader, this.signIn.cookies.csrf);
    return csrfMatches(csrf, form.csrf) ? csrf : undefined;
  }

  private async model(request: AuthorizationRequest, csrf: string, mfaToken: string, error?: string): Promise<SecondStepModel> {
    const tenant = request.tenantId ? await this.tenants.find(request.tenantId).catch(() => null) : null;
    return { tenantName: tenant?.status === 'active' ? tenant.name : undefined, parameters: request.parameters, csrf, mfaToken, error };
  }

  private page(request: AuthorizationRequest, status: number, html: string): BrowserAnswer {
    const url = new URL(request.redirectUri);
    // The form that ends the sign-in redirects to the client: form-action must allow its origin.
    return { kind: 'page', status, html, cookies: [], formTargets: [url.origin === 'null' ? url.protocol : url.origin] };
  }
}

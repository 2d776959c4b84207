import type { AuthorizationParameters } from './authorization-request';
import { escapeHtml, hiddenFields, page } from './page-layout';

export interface LoginPageModel {
  tenantName?: string;
  /** Carried to the forgot-password page when known. */
  tenantId?: string;
  /** Ask which organisation: the request named none (a platform client without `tenant`). */
  askTenant: boolean;
  username?: string;
  csrf: string;
  parameters: AuthorizationParameters;
  /** Generic on purpose: a wrong password and an unknown user read the same. */
  error?: string;
}

export function loginPage(model: LoginPageModel): string {
  const alert = model.error ? `<div class="alert" role="alert">${escapeHtml(model.error)}</div>` : '';
  // Focus goes to the first field still empty.
  const focus = model.askTenant && !model.parameters.tenant ? 'tenant' : model.username ? 'password' : 'username';
  const autofocus = (field: string) => (field === focus ? ' autofocus' : '');
  const tenant = model.askTenant
    ? `<label for="tenant">Organisation</label><input type="text" id="tenant" name="tenant" required autocomplete="organization" autocapitalize="none" spellcheck="false" value="${escapeHtml(model.parameters.tenant ?? '')}"${autofocus('tenant')}>`
    : '';
  const { tenant: _carried, ...carried } = model.parameters;
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<p class="lead">${model.tenantName ? `to continue to ${escapeHtml(model.tenantName)}` : 'to continue'}</p>
${alert}
<form method="post" action="/oauth/authorize/login" novalidate>
${hiddenFields({ ...(model.askTenant ? carried : model.parameters), csrf: model.csrf })}
${tenant}
<label for="username">Username</label>
<input type="text" id="username" name="username" required autocomplete="username" autocapitalize="none" spellcheck="false" value="${escapeHtml(model.username ?? '')}"${autofocus('username')}>
<label for="password">Password</label>
<input type="password" id="password" name="password" required autocomplete="current-password"${autofocus('password')}>
<button type="submit">Sign in</button>
</form>
<p class="aside"><a href="/auth/password/forgot${model.tenantId ? `?tenant=${encodeURIComponent(model.tenantId)}` : ''}">Forgot password?</a></p>`,
    model.tenantName,
  );
}

/** An error that cannot go back to the client: its client or redirect URI are not verified. */
export function errorPage(code: string, description: string | undefined, tenantName?: string): string {
  return page(
    'Sign-in error',
    `<h1>This sign-in request cannot continue</h1>
<p class="lead">The application that sent you here made a request this server cannot accept. Go back to the application and try again; if it happens again, tell its administrator.</p>
<div class="alert" role="alert"><strong>${escapeHtml(code)}</strong>${description ? `: ${escapeHtml(description)}` : ''}</div>`,
    tenantName,
  );
}

/** What each scope lets a client do, in words a person reads before agreeing. */
const SCOPE_WORDS: Readonly<Record<string, string>> = {
  openid: 'Know who you are (your account identifier)',
  profile: 'See your profile: username and roles',
  email: 'See your email address',
  'orders:read': 'See your orders',
  'orders:write': 'Place and change orders for you',
};

export function scopeInWords(scope: string): string {
  return SCOPE_WORDS[scope] ?? `Use the permission ${scope}`;
}

export interface ConsentPageModel {
  tenantName?: string;
  clientId: string;
  scopes: readonly string[];
  username: string;
  csrf: string;
  parameters: AuthorizationParameters;
}

export function consentPage(model: ConsentPageModel): string {
  const items = model.scopes.map((scope) => `<li>${escapeHtml(scopeInWords(scope))}</li>`).join('');
  return page(
    'Allow access',
    `<h1>Allow ${escapeHtml(model.clientId)}?</h1>
<p class="lead">Signed in as <strong>${escapeHtml(model.username)}</strong>. <strong>${escapeHtml(model.clientId)}</strong> asks to:</p>
<ul class="scopes">${items || '<li>Know that you signed in</li>'}</ul>
<form method="post" action="/oauth/authorize/consent">
${hiddenFields({ ...model.parameters, csrf: model.csrf })}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
    model.tenantName,
  );
}

export interface LogoutConfirmationModel {
  csrf: string;
  /** The logout request as it came, carried through the form. */
  parameters: Readonly<Record<string, string | undefined>>;
}

/** Asked when nothing proves the request came from a client of this server (no ID token hint). */
export function logoutConfirmationPage(model: LogoutConfirmationModel): string {
  return page(
    'Sign out',
    `<h1>Sign out?</h1>
<p class="lead">You are about to sign out of every application you signed in to here.</p>
<form method="post" action="/oauth/logout">
${hiddenFields({ ...model.parameters, csrf: model.csrf, confirm: 'yes' })}
<button type="submit">Sign out</button>
</form>`,
  );
}

export function signedOutPage(tenantName?: string): string {
  return page('Signed out', `<h1>You are signed out</h1><p class="lead">You can close this window.</p>`, tenantName);
}

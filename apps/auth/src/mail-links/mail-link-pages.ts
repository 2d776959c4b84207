import { escapeHtml, hiddenFields, page } from '../authorize/page-layout';

/** What every page of this kind may show: a notice (success) or an alert (a refusal). */
interface Feedback {
  error?: string;
}

const alertOf = (model: Feedback) => (model.error ? `<div class="alert" role="alert">${escapeHtml(model.error)}</div>` : '');

export interface ForgotPageModel extends Feedback {
  csrf: string;
  tenant?: string;
  email?: string;
}

export function forgotPage(model: ForgotPageModel): string {
  return page(
    'Forgot password',
    `<h1>Forgot your password?</h1>
<p class="lead">Enter the email address of your account: we send a link to choose a new password.</p>
${alertOf(model)}
<form method="post" action="/auth/password/forgot/form" novalidate>
${hiddenFields({ csrf: model.csrf })}
<label for="tenant">Organisation</label>
<input type="text" id="tenant" name="tenant" required autocomplete="organization" autocapitalize="none" spellcheck="false" value="${escapeHtml(model.tenant ?? '')}"${model.tenant ? '' : ' autofocus'}>
<label for="email">Email address</label>
<input type="email" id="email" name="email" required autocomplete="email" autocapitalize="none" spellcheck="false" value="${escapeHtml(model.email ?? '')}"${model.tenant ? ' autofocus' : ''}>
<button type="submit">Send the link</button>
</form>`,
  );
}

export function mailSentPage(): string {
  return page(
    'Check your email',
    `<h1>Check your email</h1>
<p class="lead">If an account has this address, a message with a link is on its way to it. The link works once, for a short time.</p>`,
  );
}

export interface ResetPageModel extends Feedback {
  csrf: string;
  token: string;
}

export function resetPage(model: ResetPageModel): string {
  return page(
    'Choose a new password',
    `<h1>Choose a new password</h1>
<p class="lead">At least 12 characters. Setting it signs you out everywhere.</p>
${alertOf(model)}
<form method="post" action="/auth/password/reset/form" novalidate>
${hiddenFields({ csrf: model.csrf, token: model.token })}
<label for="password">New password</label>
<input type="password" id="password" name="password" required autocomplete="new-password" autofocus>
<label for="confirmation">New password, again</label>
<input type="password" id="confirmation" name="confirmation" required autocomplete="new-password">
<button type="submit">Set the password</button>
</form>`,
  );
}

export function passwordChangedPage(): string {
  return page('Password changed', `<h1>Your password is changed</h1><p class="lead">You are signed out everywhere. Sign in again with the new password.</p>`);
}

export interface VerifyPageModel extends Feedback {
  csrf: string;
  token: string;
}

/** A button, not a verification on GET: mail scanners open links, a person presses the button. */
export function verifyPage(model: VerifyPageModel): string {
  return page(
    'Confirm your email address',
    `<h1>Confirm your email address</h1>
<p class="lead">Press the button to confirm that this address is yours.</p>
${alertOf(model)}
<form method="post" action="/auth/email/verify/form">
${hiddenFields({ csrf: model.csrf, token: model.token })}
<button type="submit">Confirm</button>
</form>`,
  );
}

export function emailVerifiedPage(): string {
  return page('Email confirmed', `<h1>Your email address is confirmed</h1><p class="lead">You can sign in now.</p>`);
}

/** A link that is unknown, used or expired: said plainly, with the way to a new one. */
export function invalidLinkPage(kind: 'reset' | 'verification'): string {
  const next =
    kind === 'reset' ? '<p><a href="/auth/password/forgot">Ask for a new link</a></p>' : '<p>Sign in to ask for a new one, or ask your administrator.</p>';
  return page(
    'Link not valid',
    `<h1>This link does not work</h1>
<div class="alert" role="alert">The link is invalid, expired or already used.</div>
${next}`,
  );
}

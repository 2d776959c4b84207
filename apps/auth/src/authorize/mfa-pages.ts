import type { AuthorizationParameters } from './authorization-request';
import { escapeHtml, hiddenFields, page } from './page-layout';

/** What every step of the second factor carries: the request, the pending login, the CSRF token. */
export interface SecondStepModel {
  tenantName?: string;
  parameters: AuthorizationParameters;
  csrf: string;
  mfaToken: string;
  error?: string;
}

const alert = (error?: string) => (error ? `<div class="alert" role="alert">${escapeHtml(error)}</div>` : '');
const carried = (model: SecondStepModel) => hiddenFields({ ...model.parameters, csrf: model.csrf, mfa_token: model.mfaToken });

/** The code of an enrolled person (or one of their recovery codes). */
export function codePage(model: SecondStepModel): string {
  return page(
    'Two-step verification',
    `<h1>Two-step verification</h1>
<p class="lead">Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
${alert(model.error)}
<form method="post" action="/oauth/authorize/mfa" novalidate>
${carried(model)}
<label for="code">Code</label>
<input type="text" id="code" name="code" required autocomplete="one-time-code" inputmode="numeric" autocapitalize="none" spellcheck="false" autofocus>
<button type="submit">Verify</button>
</form>`,
    model.tenantName,
  );
}

/** Enrolment during sign-in, for a person who must have a second factor: the QR code and the secret. */
export function enrolPage(model: SecondStepModel & { secret: string; qrSvg: string }): string {
  const grouped = model.secret.match(/.{1,4}/g)?.join(' ') ?? model.secret;
  return page(
    'Set up two-step verification',
    `<h1>Set up two-step verification</h1>
<p class="lead">Your organisation requires a second step at sign-in. Scan this code with an authenticator app, or type the key, then enter the code it shows.</p>
${alert(model.error)}
<div class="qr" aria-hidden="true">${model.qrSvg}</div>
<p>Key: <code id="totp-secret">${escapeHtml(grouped)}</code></p>
<form method="post" action="/oauth/authorize/mfa/enrol" novalidate>
${carried(model)}
<label for="code">Code</label>
<input type="text" id="code" name="code" required autocomplete="one-time-code" inputmode="numeric" autocapitalize="none" spellcheck="false" autofocus>
<button type="submit">Turn on</button>
</form>`,
    model.tenantName,
  );
}

/** The recovery codes, shown once; continuing opens the session. */
export function recoveryCodesPage(model: SecondStepModel & { codes: readonly string[] }): string {
  const items = model.codes.map((code) => `<li><code>${escapeHtml(code)}</code></li>`).join('');
  return page(
    'Save your recovery codes',
    `<h1>Two-step verification is on</h1>
<p class="lead">Keep these recovery codes somewhere safe. Each works once instead of a code, if you lose your device. They are not shown again.</p>
<ul class="scopes" id="recovery-codes">${items}</ul>
<form method="post" action="/oauth/authorize/mfa/continue">
${carried(model)}
<button type="submit">Continue</button>
</form>`,
    model.tenantName,
  );
}

import { createHash } from 'node:crypto';

/** Text made safe for HTML content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

// One inline stylesheet, allowed by its hash: the pages load nothing from anywhere, run no script.
const STYLE = `
:root{color-scheme:light;--ink:#1c2430;--muted:#5b6675;--line:#d9dee5;--brand:#1f5eff;--brand-dark:#1748c4;--bad:#b42318;--bad-bg:#fef3f2}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:linear-gradient(160deg,#eef2f8 0%,#f8fafc 60%);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink)}
main{width:100%;max-width:400px;margin:24px;background:#fff;border:1px solid var(--line);border-radius:14px;box-shadow:0 10px 30px rgba(28,36,48,.08);padding:32px}
.brand{display:flex;align-items:center;gap:10px;margin-bottom:24px;color:var(--muted);font-size:14px;font-weight:600;letter-spacing:.02em}
.mark{width:28px;height:28px;border-radius:8px;background:var(--brand);color:#fff;display:flex;align-items:center;justify-content:center;font-weight:700}
h1{font-size:22px;margin:0 0 4px}
p.lead{margin:0 0 24px;color:var(--muted)}
label{display:block;font-weight:600;font-size:14px;margin:16px 0 6px}
input[type=text],input[type=password]{width:100%;padding:10px 12px;border:1px solid var(--line);border-radius:8px;font:inherit}
input:focus,button:focus{outline:3px solid rgba(31,94,255,.35);outline-offset:1px;border-color:var(--brand)}
button{width:100%;margin-top:24px;padding:11px 16px;border:0;border-radius:8px;background:var(--brand);color:#fff;font:inherit;font-weight:600;cursor:pointer}
button:hover{background:var(--brand-dark)}
button.secondary{background:#fff;color:var(--ink);border:1px solid var(--line);margin-top:10px}
.alert{padding:12px 14px;border-radius:8px;background:var(--bad-bg);color:var(--bad);border:1px solid #fecdca;margin-bottom:8px;font-size:14px}
ul.scopes{padding-left:20px;margin:8px 0 0}ul.scopes li{margin:6px 0}
code{font-size:13px;background:#f1f4f8;padding:2px 6px;border-radius:4px}
a{color:var(--brand)}p.aside{margin:16px 0 0;text-align:center;font-size:14px}
input[type=email]{width:100%;padding:10px 12px;border:1px solid var(--line);border-radius:8px;font:inherit}
footer{margin-top:24px;font-size:12px;color:var(--muted);text-align:center}
`;
const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

/**
 * The headers of every page: a CSP that allows only the page's own stylesheet and forms posted to
 * this origin (and, after a login or a consent, the redirect to the client's verified origin: a
 * browser checks form-action on the redirect that follows a form), never framed, never cached.
 */
export function pageHeaders(formTargets: readonly string[] = []): Record<string, string> {
  const formAction = ["'self'", ...formTargets].join(' ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    pragma: 'no-cache',
  };
}

/** A complete page: `body` is HTML already escaped by its author. */
export function page(title: string, body: string, tenantName?: string): string {
  const name = tenantName ?? 'Gatehouse';
  const brand = escapeHtml(name);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · ${brand}</title><style>${STYLE}</style></head>
<body><main>
<div class="brand"><span class="mark" aria-hidden="true">${escapeHtml(name.charAt(0).toUpperCase())}</span><span>${brand}</span></div>
${body}
<footer>Secured by Gatehouse</footer>
</main></body>
</html>`;
}

/** Hidden fields carrying values through a form, escaped. */
export function hiddenFields(fields: Readonly<Record<string, string | undefined>>): string {
  return Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
}

import type { Answer, Probe, ScanCase, ScanContext } from '../case';
import { ACCEPTED, NO_TOKEN, REQUEST_REFUSED, TENANT_MISMATCH } from '../expectations';
import { bearer } from '../forge';

/** Every forged value carries this mark, so that seeing it anywhere in an answer is a finding. */
export const MARK = 'gatehouse-scan-forged';

const IDENTITY_HEADERS: [string, string][] = [
  ['x-user-id', `${MARK}-user`],
  ['x-tenant-id', `${MARK}-tenant`],
  ['x-forwarded-user', `${MARK}-user`],
  ['x-authenticated-user', `${MARK}-user`],
  ['x-user-roles', `admin,${MARK}`],
  ['x-client-id', `${MARK}-client`],
];

const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;

const marked = (answer: Answer) => (answer.text.includes(MARK) ? `the answer carries a forged value (${MARK})` : undefined);

/** The headers the echo route reports its upstream received. */
function echoedHeaders(answer: Answer): Record<string, unknown> {
  const body = answer.body as { headers?: unknown } | undefined;
  const headers = body && typeof body === 'object' && typeof body.headers === 'object' && body.headers !== null ? body.headers : body;
  return (headers ?? {}) as Record<string, unknown>;
}

const FORWARDING: { id: string; name: string; value: string; source: string }[] = [
  { id: 'forwarded-x-forwarded-for', name: 'x-forwarded-for', value: '203.0.113.66', source: 'RFC 7239 8.1 (X-Forwarded-For, de facto)' },
  { id: 'forwarded-forwarded', name: 'forwarded', value: 'for=203.0.113.66;by=203.0.113.67;host=gatehouse-scan.invalid', source: 'RFC 7239 4 and 8.1' },
  { id: 'forwarded-x-real-ip', name: 'x-real-ip', value: '203.0.113.66', source: 'RFC 7239 8.1 (X-Real-IP, de facto)' },
];

const forwardingCase = ({ id, name, value, source }: (typeof FORWARDING)[number]): ScanCase => ({
  id,
  title: `a client's ${name} header reaching the upstream unchanged`,
  source,
  needs: ['echo-route'],
  probes: (context) => [
    {
      path: context.echoRoute,
      headers: [bearer(context.token.value), [name, value]],
      expect: ACCEPTED,
      check: (answer) => (echoedHeaders(answer)[name] === value ? `the upstream received ${name}: ${value} as the client sent it` : undefined),
    },
  ],
});

export const REQUEST_CASES: ScanCase[] = [
  {
    id: 'token-in-query',
    title: 'the token as access_token in the query string',
    source: 'RFC 6750 2.3 and 5.3',
    probes: (context) => [{ path: withQuery(context.route, `access_token=${encodeURIComponent(context.token.value)}`), headers: [], expect: REQUEST_REFUSED }],
  },
  {
    id: 'two-authorization-headers',
    title: 'two Authorization headers',
    source: 'RFC 6750 2, RFC 9110 5.3',
    probes: (context) => [{ headers: [bearer(context.token.value), bearer(context.token.value)], expect: REQUEST_REFUSED }],
  },
  {
    id: 'identity-headers-without-token',
    title: 'forged identity headers and no token',
    source: 'RFC 6750 3.1, RFC 7239 8.1',
    probes: () => IDENTITY_HEADERS.map(([name, value]): Probe => ({ variant: name, headers: [[name, value]], expect: NO_TOKEN, check: marked })),
  },
  {
    id: 'identity-headers-with-token',
    title: 'forged identity headers beside a valid token',
    source: 'RFC 9068 4, RFC 8725 3.10',
    probes: (context) => {
      // X-Tenant-Id is a tenant hint on some routes: another tenant there is the cross-tenant case.
      const forged = IDENTITY_HEADERS.filter(([name]) => name !== 'x-tenant-id');
      const probes: Probe[] = [{ headers: [bearer(context.token.value), ...forged], expect: ACCEPTED, check: marked }];
      if (context.echoRoute)
        probes.push({ variant: 'echo route', path: context.echoRoute, headers: [bearer(context.token.value), ...forged], expect: ACCEPTED, check: marked });
      return probes;
    },
  },
  ...FORWARDING.map(forwardingCase),
  {
    id: 'cross-tenant',
    title: "the token on another tenant's path",
    source: 'RFC 9068 4, RFC 8725 3.9',
    needs: ['other-tenant'],
    probes: (context: ScanContext) => [
      { path: `/tenants/${String(context.otherTenant)}${context.route}`, headers: [bearer(context.token.value)], expect: TENANT_MISMATCH, check: marked },
    ],
  },
];

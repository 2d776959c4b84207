import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningApp } from '@gatehouse/app-kit';
import { parse } from 'yaml';
import { startPlatform } from '../apps/platform/src/platform';
import { REFERENCE_BOOTSTRAP, SECRETS } from './support/bootstrap';
import { http } from './support/http';
import { basic, postForm } from './support/oauth';
import { metricNames, sampleNames } from './support/promql';
import { createTestEnv, type TestEnv } from './support/test-env';

/**
 * deploy/monitoring against the running platform: after a short run of ordinary requests,
 * refusals and rate-limited calls, every metric the alert rules and the dashboard read is served
 * at /metrics, so no alert waits silently on a series that never exists.
 */

const MONITORING = join(__dirname, '..', 'deploy', 'monitoring');
const APPS = ['gateway', 'auth', 'users', 'orders'] as const;
const SEVERITIES = ['info', 'warning', 'critical'];
const DURATION = /^\d+[smhd]$/;

interface Rule {
  alert?: string;
  expr?: unknown;
  for?: unknown;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}
const rules = parse(readFileSync(join(MONITORING, 'alerts.rules.yaml'), 'utf8')) as { groups?: { name?: unknown; rules?: Rule[] }[] };
const dashboard = JSON.parse(readFileSync(join(MONITORING, 'grafana-dashboard.json'), 'utf8')) as {
  uid?: string;
  title?: string;
  panels?: { title?: string; targets?: { expr?: string }[] }[];
};

const ruleExpressions = (rules.groups ?? []).flatMap((group) => group.rules ?? []).map((rule) => ({ where: `rule ${rule.alert}`, expr: String(rule.expr) }));
const panelExpressions = (dashboard.panels ?? []).flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr ?? '' })),
);

/** `app="x"` in the selector of `name`: the app whose /metrics must serve it; any app otherwise. */
function appsFor(expr: string, name: string): readonly string[] {
  const selector = new RegExp(`${name}\\{[^}]*\\bapp="([a-z]+)"`).exec(expr);
  return selector ? [selector[1]] : APPS;
}

describe('deploy/monitoring: alert rules and dashboard', () => {
  it('has the shape Prometheus loads: named groups of rules with alert, expr, for, severity and a summary', () => {
    const problems: string[] = [];
    expect(rules.groups?.length).toBeGreaterThan(0);
    for (const group of rules.groups ?? []) {
      if (typeof group.name !== 'string' || !(group.rules ?? []).length) problems.push(`group ${String(group.name)}: a name and rules`);
      for (const rule of group.rules ?? []) {
        const where = `${String(group.name)}/${String(rule.alert)}`;
        if (!/^[A-Z][A-Za-z0-9]+$/.test(rule.alert ?? '')) problems.push(`${where}: alert must be a CamelCase name`);
        if (typeof rule.expr !== 'string' || !rule.expr.trim()) problems.push(`${where}: expr`);
        if (typeof rule.for !== 'string' || !DURATION.test(rule.for)) problems.push(`${where}: for must be a duration`);
        if (!SEVERITIES.includes(String(rule.labels?.severity))) problems.push(`${where}: labels.severity one of ${SEVERITIES.join(', ')}`);
        if (typeof rule.annotations?.summary !== 'string' || typeof rule.annotations.description !== 'string')
          problems.push(`${where}: annotations summary and description`);
      }
    }
    expect(problems).toEqual([]);
    expect(new Set(ruleExpressions.map(({ where }) => where)).size).toBe(ruleExpressions.length);
  });

  it('covers cross-tenant attempts, stale JWKS, 5xx rate and login-limit spikes', () => {
    const read = new Set(ruleExpressions.flatMap(({ expr }) => metricNames(expr)));
    expect(['gatehouse_cross_tenant_attempts_total', 'gatehouse_jwks_stale', 'gatehouse_http_requests_total'].filter((name) => !read.has(name))).toEqual([]);
    expect(ruleExpressions.some(({ expr }) => expr.includes('status=~"5.."'))).toBe(true);
    expect(
      [
        'gatehouse_revocation_lagging',
        'gatehouse_audit_dropped_total',
        'gatehouse_upstream_errors_total',
        'gatehouse_login_limited_total',
        'gatehouse_token_grants_total',
        'gatehouse_signing_key_age_seconds',
      ].filter((name) => !read.has(name)),
    ).toEqual([]);
    expect(ruleExpressions.some(({ expr }) => expr.includes('app="auth"') && expr.includes('status="429"'))).toBe(true);
  });

  it('is a dashboard Grafana imports: a uid, a title and panels that query', () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.title).toBeTruthy();
    expect(panelExpressions.length).toBeGreaterThan(5);
    expect(panelExpressions.filter(({ expr }) => metricNames(expr).length === 0).map(({ where }) => where)).toEqual([]);
  });

  it('reads metric names from PromQL, leaving out functions, labels, ranges and keywords', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (app, le) (rate(a_bucket{app=~"x|y", le!="1"}[5m]))) > 1e3 and on (app) b offset 5m unless c')).toEqual(
      ['a_bucket', 'b', 'c'],
    );
  });
});

describe('deploy/monitoring against the running platform', () => {
  let testEnv: TestEnv;
  let apps: RunningApp[];
  const samples = new Map<string, Set<string>>();
  const urlOf = (name: string) => apps.find((app) => app.name === name)?.url ?? '';
  const unserved = (expressions: { where: string; expr: string }[]) =>
    expressions.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !appsFor(expr, name).some((app) => samples.get(app)?.has(name)))
        .map((name) => `${where}: ${name} is not served by ${appsFor(expr, name).join(' or ')}`),
    );

  beforeAll(async () => {
    // Tight limits, so that a short run meets the login limits and a gateway rate limit.
    testEnv = await createTestEnv({ AUTH_ISSUER: 'http://gateway.test', LOGIN_PAIR_LIMIT: '2', RATE_LIMIT_PUBLIC: '3/60' });
    const bootstrap = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(bootstrap, REFERENCE_BOOTSTRAP.replace('tenants:\n', 'tenants:\n  - { id: globex, name: Globex }\n'));
    apps = await startPlatform({ env: { ...testEnv.env, ...SECRETS, BOOTSTRAP_FILE: bootstrap } });

    const gateway = urlOf('gateway');
    const token = await postForm<{ access_token: string }>(
      `${gateway}/oauth/token`,
      { grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD, scope: 'profile orders:read' },
      { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET), 'x-tenant-id': 'acme' },
    );
    expect(token.status).toBe(200);
    const bearer = { authorization: `Bearer ${token.body.access_token}` };
    expect((await http(`${gateway}/orders`, { headers: { ...bearer, 'x-tenant-id': 'acme' } })).status).toBeLessThan(500);
    expect((await http(`${gateway}/users/me`, { headers: { ...bearer, 'x-tenant-id': 'globex' } })).status).toBe(403);
    const refused = [];
    for (let i = 0; i < 4; i++)
      refused.push(
        (
          await postForm(
            `${gateway}/oauth/token`,
            { grant_type: 'password', username: 'alice', password: 'wrong', scope: 'profile' },
            { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET), 'x-tenant-id': 'acme' },
          )
        ).status,
      );
    expect(refused).toContain(429);
    const discovery = [];
    for (let i = 0; i < 5; i++) discovery.push((await http(`${gateway}/.well-known/openid-configuration`)).status);
    expect(discovery).toContain(429);

    for (const app of APPS) {
      const metrics = await http<string>(`${urlOf(app)}/metrics`);
      expect(metrics.status).toBe(200);
      samples.set(app, sampleNames(metrics.body));
    }
  });

  afterAll(async () => {
    for (const app of [...(apps ?? [])].reverse()) await app.close();
    await testEnv?.cleanup();
  });

  it.each([
    ['the alert rules', ruleExpressions],
    ['the dashboard', panelExpressions],
  ])('serves every metric %s read, at the app they read it from', (_what, expressions) => {
    expect(unserved(expressions)).toEqual([]);
  });

  it("counted the run: a cross-tenant attempt, rate-limit refusals and auth's 429s", async () => {
    const gateway = (await http<string>(`${urlOf('gateway')}/metrics`)).body;
    const auth = (await http<string>(`${urlOf('auth')}/metrics`)).body;
    expect(gateway).toMatch(/^gatehouse_cross_tenant_attempts_total\{app="gateway"\} [1-9]/m);
    expect(gateway).toMatch(/^gatehouse_rate_limited_total\{bucket="[^"]+",app="gateway"\} [1-9]/m);
    expect(auth).toMatch(/^gatehouse_http_requests_total\{method="POST",route="\/oauth\/token",status="429",app="auth"\} [1-9]/m);
    expect(gateway).toMatch(/^gatehouse_refusals_total\{code="tenant_mismatch",app="gateway"\} [1-9]/m);
    expect(auth).toMatch(/^gatehouse_token_grants_total\{grant_type="password",outcome="success",app="auth"\} [1-9]/m);
    expect(auth).toMatch(/^gatehouse_login_limited_total\{app="auth"\} [1-9]/m);
    expect(auth).toMatch(/^gatehouse_signing_key_age_seconds\{app="auth"\} \d/m);
  });

  it('reports a metric no app serves, and one read from an app that does not serve it', () => {
    expect(
      unserved([
        { where: 'probe', expr: 'rate(gatehouse_no_such_metric_total[5m])' },
        { where: 'probe', expr: 'gatehouse_jwks_stale{app="users"}' },
      ]),
    ).toEqual([
      'probe: gatehouse_no_such_metric_total is not served by gateway or auth or users or orders',
      'probe: gatehouse_jwks_stale is not served by users',
    ]);
  });
});

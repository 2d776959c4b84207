import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommonSettings, loadSettings, settingKeys } from '@gatehouse/config';
import { parse } from 'yaml';
import { APP_NAMES, APPS, type App, ROOT, undeclaredKeys } from './support/app-settings';
import { type DeploymentSpec, egressAllowed, ingressAllowed, matches, type Pod, type PolicySpec, schemaProblem, type Selector } from './support/k8s-objects';
import { type K8sObject, renderKustomization } from './support/kustomize';

/**
 * deploy/k8s rendered as `kubectl apply -k` would render it, each object validated against the
 * Kubernetes API schema, and held against the apps: their settings, ports and health endpoints,
 * and the trust boundary (only the gateway reaches the services; only services and the gateway
 * reach auth; only the services reach the transport).
 */

const K8S = join(ROOT, 'deploy', 'k8s');
const OVERLAYS = ['production', 'dev'] as const;
const rendered = Object.fromEntries(OVERLAYS.map((overlay) => [overlay, renderKustomization(join(K8S, 'overlays', overlay))])) as Record<
  (typeof OVERLAYS)[number],
  K8sObject[]
>;
const NAMESPACES = { production: 'gatehouse', dev: 'gatehouse-dev' };
const SECRET_NAME = 'gatehouse-secrets';
const PORT_KEY: Record<App, keyof CommonSettings> = { gateway: 'GATEWAY_PORT', auth: 'AUTH_PORT', users: 'USERS_PORT', orders: 'ORDERS_PORT' };
// A stop: the app's own grace (readiness 503, still serving), its in-flight timeout, then the NATS
// drain that waits up to 10 s for replies (docs/ARCHITECTURE.md); production defaults of the first two.
const NATS_DRAIN_SECONDS = 10;
const SHUTDOWN_DEFAULTS = { SHUTDOWN_GRACE: 5, SHUTDOWN_TIMEOUT: 10 };
const TRANSPORT_PORTS = { nats: 4222, postgres: 5432 };
const MONITORING = { namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' } };

const find = (objects: K8sObject[], kind: string, name: string) => objects.find((object) => object.kind === kind && object.metadata.name === name);
const deploymentOf = (objects: K8sObject[], app: App) => find(objects, 'Deployment', app)?.spec as DeploymentSpec | undefined;
const containerOf = (objects: K8sObject[], app: App) => deploymentOf(objects, app)?.template.spec.containers.find((container) => container.name === app);

/** A container's environment: its ConfigMaps (envFrom) under its own `env`, secrets as stand-ins. */
function environmentOf(objects: K8sObject[], app: App): { env: Record<string, string>; fromSecret: Set<string> } {
  const container = containerOf(objects, app);
  const env: Record<string, string> = {};
  const fromSecret = new Set<string>();
  for (const source of container?.envFrom ?? []) {
    if (source.secretRef) throw new Error(`${app}: envFrom a Secret hides which settings are secret; name each one`);
    const configMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === source.configMapRef?.name);
    Object.assign(env, configMap?.data as Record<string, string>);
  }
  for (const variable of container?.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    if (secret) fromSecret.add(variable.name);
    env[variable.name] = secret ? standIn(variable.name) : (variable.value ?? '');
  }
  return { env, fromSecret };
}

function standIn(key: string): string {
  const value = 'stand-in-0123456789abcdef0123456789abcdef';
  if (key === 'DATABASE_URL') return `postgres://gatehouse:${value}@postgres:5432/gatehouse`;
  if (key === 'REDIS_URL') return `redis://:${value}@redis:6379`;
  if (key === 'NATS_URL') return `nats://gatehouse:${value}@nats:4222`;
  return value;
}

function podOf(objects: K8sObject[], app: App): Pod {
  const deployment = deploymentOf(objects, app);
  const ports = new Map((containerOf(objects, app)?.ports ?? []).map((port) => [port.name ?? '', port.containerPort]));
  return { app, labels: deployment?.template.metadata.labels ?? {}, ports };
}

describe.each(OVERLAYS)('deploy/k8s/overlays/%s', (overlay) => {
  const objects = rendered[overlay];
  const policies = objects.filter((object) => object.kind === 'NetworkPolicy').map((object) => object.spec as PolicySpec);

  it('renders objects that all conform to the Kubernetes API schema', () => {
    expect(objects.length).toBeGreaterThan(10);
    expect(objects.map(schemaProblem).filter(Boolean)).toEqual([]);
  });

  it('puts every namespaced object in its namespace, every object labelled as part of the platform', () => {
    const problems = objects.flatMap((object) => [
      ...(object.kind !== 'Namespace' && object.metadata.namespace !== NAMESPACES[overlay]
        ? [`${object.kind} ${object.metadata.name}: namespace ${object.metadata.namespace}`]
        : []),
      ...(object.kind !== 'Namespace' && object.metadata.labels?.['app.kubernetes.io/part-of'] !== 'gatehouse'
        ? [`${object.kind} ${object.metadata.name}: not labelled part-of gatehouse`]
        : []),
    ]);
    expect(problems).toEqual([]);
    expect(find(objects, 'Namespace', NAMESPACES[overlay])).toBeDefined();
  });

  it('runs each app from one image with its own main', () => {
    const images = new Set(APP_NAMES.map((app) => containerOf(objects, app)?.image));
    expect(images.size).toBe(1);
    expect(APP_NAMES.map((app) => containerOf(objects, app)?.command?.join(' '))).toEqual(
      APP_NAMES.map((app) => `node dist/apps/${app}/apps/${app}/src/main.js`),
    );
  });

  it.each(APP_NAMES)('%s: every environment key is a declared setting of that app', (app) => {
    expect(undeclaredKeys(app, environmentOf(objects, app).env)).toEqual([]);
  });

  it.each(APP_NAMES)('%s: its environment passes its settings validation in production', (app) => {
    const { env } = environmentOf(objects, app);
    expect(env.NODE_ENV).toBe('production');
    let problem = '';
    try {
      loadSettings(APPS[app], env);
    } catch (error) {
      problem = (error as Error).message;
    }
    expect(problem).toBe('');
  });

  it.each(APP_NAMES)('%s: secrets and URLs that may carry credentials come from the Secret, never written', (app) => {
    const { env, fromSecret } = environmentOf(objects, app);
    const sensitive = settingKeys(APPS[app])
      .filter(({ exposure }) => exposure !== 'plain')
      .map(({ key }) => key);
    expect(sensitive.filter((key) => key in env && !fromSecret.has(key))).toEqual([]);
    const refs = (containerOf(objects, app)?.env ?? []).flatMap((variable) => (variable.valueFrom?.secretKeyRef ? [variable.valueFrom.secretKeyRef.name] : []));
    expect(new Set(refs)).toEqual(new Set([SECRET_NAME]));
  });

  it('writes no Secret', () => {
    expect(objects.filter((object) => object.kind === 'Secret').map((object) => object.metadata.name)).toEqual([]);
  });

  it.each(APP_NAMES)('%s: probes /health/live and /health/ready on the port the app listens on, and its Service forwards there', (app) => {
    const container = containerOf(objects, app);
    const port = loadSettings(APPS[app], environmentOf(objects, app).env).settings[PORT_KEY[app]];
    const resolve = (value: number | string | undefined) => (typeof value === 'string' ? podOf(objects, app).ports.get(value) : value);
    expect({
      live: container?.livenessProbe?.httpGet?.path,
      livePort: resolve(container?.livenessProbe?.httpGet?.port),
      ready: container?.readinessProbe?.httpGet?.path,
      readyPort: resolve(container?.readinessProbe?.httpGet?.port),
    }).toEqual({ live: '/health/live', livePort: port, ready: '/health/ready', readyPort: port });
    const service = find(objects, 'Service', app)?.spec as { selector: Record<string, string>; ports: { port: number; targetPort: number | string }[] };
    expect(matches({ matchLabels: service.selector }, podOf(objects, app).labels)).toBe(true);
    expect(service.ports.map((entry) => resolve(entry.targetPort))).toEqual([port]);
  });

  it.each(APP_NAMES)('%s: stops gracefully and has requests and limits', (app) => {
    const container = containerOf(objects, app);
    const setting = (name: keyof typeof SHUTDOWN_DEFAULTS) => Number(container?.env?.find((entry) => entry.name === name)?.value ?? SHUTDOWN_DEFAULTS[name]);
    // The app drains by itself (SHUTDOWN_GRACE): a preStop pause would only add to it.
    expect(container?.lifecycle?.preStop).toBeUndefined();
    expect(deploymentOf(objects, app)?.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
      setting('SHUTDOWN_GRACE') + setting('SHUTDOWN_TIMEOUT') + NATS_DRAIN_SECONDS,
    );
    expect(Object.keys(container?.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
    expect(container?.resources?.limits?.memory).toBeDefined();
  });

  it.each(APP_NAMES)('%s: INSTANCES says whether it runs more than one replica', (app) => {
    const hpa = objects.find(
      (object) => object.kind === 'HorizontalPodAutoscaler' && (object.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === app,
    );
    const most = Math.max(deploymentOf(objects, app)?.replicas ?? 1, (hpa?.spec as { maxReplicas?: number } | undefined)?.maxReplicas ?? 1);
    const instances = Number(environmentOf(objects, app).env.INSTANCES ?? '1');
    expect(instances > 1).toBe(most > 1);
  });

  it('keeps the gateway available: a PodDisruptionBudget and an autoscaler on its pods', () => {
    const pdb = find(objects, 'PodDisruptionBudget', 'gateway')?.spec as { minAvailable: number; selector: Selector };
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'gateway')?.spec as {
      minReplicas: number;
      maxReplicas: number;
      scaleTargetRef: { kind: string; name: string };
    };
    expect(matches(pdb.selector, podOf(objects, 'gateway').labels)).toBe(true);
    expect(APP_NAMES.filter((app) => app !== 'gateway' && matches(pdb.selector, podOf(objects, app).labels))).toEqual([]);
    expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' });
    // A budget as large as the smallest fleet would block every node drain.
    expect(pdb.minAvailable).toBeLessThan(hpa.minReplicas);
    if (overlay === 'production') expect(hpa.minReplicas).toBeGreaterThanOrEqual(2);
  });

  it('mounts the routes file from a ConfigMap holding config/gateway.routes.yaml', () => {
    const volume = (
      find(objects, 'Deployment', 'gateway')?.spec as { template: { spec: { volumes: { name: string; configMap?: { name: string } }[] } } }
    ).template.spec.volumes.find((entry) => entry.name === 'routes');
    const configMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === volume?.configMap?.name);
    expect(parse((configMap?.data as Record<string, string>)['gateway.routes.yaml'] ?? '')).toEqual(
      parse(readFileSync(join(ROOT, 'config', 'gateway.routes.yaml'), 'utf8')),
    );
    expect(environmentOf(objects, 'gateway').env.GATEWAY_ROUTES_FILE).toBe('config/routes/gateway.routes.yaml');
  });

  it('selects real pods in every NetworkPolicy, and names ports they have', () => {
    const pods = APP_NAMES.map((app) => podOf(objects, app));
    const problems: string[] = [];
    for (const object of objects.filter((entry) => entry.kind === 'NetworkPolicy')) {
      const spec = object.spec as PolicySpec;
      const selectors = [
        spec.podSelector,
        ...[...(spec.ingress ?? []), ...(spec.egress ?? [])]
          .flatMap((rule) => [...(rule.from ?? []), ...(rule.to ?? [])])
          .flatMap((peer) => (peer.podSelector ? [peer.podSelector] : [])),
      ];
      for (const selector of selectors)
        if (!pods.some((pod) => matches(selector, pod.labels))) problems.push(`${object.metadata.name}: ${JSON.stringify(selector)} selects no pod`);
      const selected = pods.filter((pod) => matches(spec.podSelector, pod.labels));
      for (const rule of spec.ingress ?? [])
        for (const port of rule.ports ?? [])
          if (typeof port.port === 'string' && !selected.every((pod) => pod.ports.has(port.port as string)))
            problems.push(`${object.metadata.name}: a selected pod has no port ${port.port}`);
    }
    expect(problems).toEqual([]);
  });

  it('enforces the trust boundary: who reaches whose HTTP port', () => {
    const pods = Object.fromEntries(APP_NAMES.map((app) => [app, podOf(objects, app)])) as Record<App, Pod>;
    const http = (app: App) => pods[app].ports.get('http') as number;
    const reach: Record<string, boolean> = {};
    for (const target of APP_NAMES) {
      reach[`outside -> ${target}`] = ingressAllowed(policies, 'outside', pods[target], http(target));
      reach[`monitoring -> ${target}`] = ingressAllowed(policies, MONITORING, pods[target], http(target));
      reach[`another namespace -> ${target}`] = ingressAllowed(
        policies,
        { namespaceLabels: { 'kubernetes.io/metadata.name': 'default' } },
        pods[target],
        http(target),
      );
      for (const origin of APP_NAMES)
        if (origin !== target)
          reach[`${origin} -> ${target}`] =
            ingressAllowed(policies, pods[origin], pods[target], http(target)) && egressAllowed(policies, pods[origin], pods[target], http(target));
    }
    // Production lets its monitoring namespace scrape every app's /metrics.
    const scraped = overlay === 'production';
    expect(reach).toEqual({
      'outside -> gateway': true,
      'monitoring -> gateway': true,
      'another namespace -> gateway': true,
      'auth -> gateway': true,
      'users -> gateway': true,
      'orders -> gateway': true,
      'outside -> auth': false,
      'monitoring -> auth': scraped,
      'another namespace -> auth': false,
      'gateway -> auth': true,
      'users -> auth': true,
      'orders -> auth': true,
      'outside -> users': false,
      'monitoring -> users': scraped,
      'another namespace -> users': false,
      'gateway -> users': true,
      'auth -> users': false,
      'orders -> users': false,
      'outside -> orders': false,
      'monitoring -> orders': scraped,
      'another namespace -> orders': false,
      'gateway -> orders': true,
      'auth -> orders': false,
      'users -> orders': false,
    });
  });

  it("keeps the transport and the database out of the gateway's reach", () => {
    const gateway = podOf(objects, 'gateway');
    expect(Object.fromEntries(Object.entries(TRANSPORT_PORTS).map(([name, port]) => [name, egressAllowed(policies, gateway, 'outside', port)]))).toEqual({
      nats: false,
      postgres: false,
    });
    expect(egressAllowed(policies, gateway, 'outside', 6379)).toBe(true);
  });
});

describe('deploy/k8s', () => {
  it("keeps the routes of its copy of the routes file equal to config/gateway.routes.yaml's", () => {
    const routes = (file: string) => parse(readFileSync(file, 'utf8')) as { routes: unknown[] };
    expect(routes(join(K8S, 'base', 'gateway.routes.yaml')).routes.length).toBeGreaterThan(0);
    expect(routes(join(K8S, 'base', 'gateway.routes.yaml'))).toEqual(routes(join(ROOT, 'config', 'gateway.routes.yaml')));
  });

  it('fails a manifest the schema refuses, and a kustomization field the renderer does not implement', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-k8s-'));
    try {
      cpSync(K8S, dir, { recursive: true });
      const gateway = join(dir, 'base', 'gateway.yaml');
      writeFileSync(gateway, readFileSync(gateway, 'utf8').replace('containerPort: 3000', 'containerPort: "http"'));
      const problems = renderKustomization(join(dir, 'overlays', 'production'))
        .map(schemaProblem)
        .filter(Boolean);
      expect(problems).toEqual([expect.stringContaining('containerPort must be integer')]);

      const kustomization = join(dir, 'overlays', 'production', 'kustomization.yaml');
      writeFileSync(kustomization, `${readFileSync(kustomization, 'utf8')}\nnamePrefix: x-\n`);
      expect(() => renderKustomization(join(dir, 'overlays', 'production'))).toThrow(/not rendered by this renderer: namePrefix/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

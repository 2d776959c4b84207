import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings } from '@gatehouse/config';
import { parse } from 'yaml';
import { readBootstrapFile } from '../apps/auth/src/bootstrap/bootstrap-file';
import { APP_NAMES, APPS, ROOT, undeclaredKeys } from './support/app-settings';

/** docker-compose.yml against the settings classes (see support/app-settings.ts). */

interface Service {
  build?: unknown;
  image?: string;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | object | null> | string[];
  ports?: unknown[];
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services?: Record<string, Service>;
};
const services = compose.services ?? {};

/** A service's environment as a map, from either compose form (mapping or `KEY=value` list). */
function environmentOf(service: Service | undefined): Record<string, string> {
  const env = service?.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  // Compose takes scalars only: a string, a number, a boolean, or null for an empty value.
  const text = (value: string | number | boolean | object | null | undefined): string => {
    if (value === null || value === undefined) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  };
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, text(value)]));
}

/** `${VAR}`, `${VAR:?message}` or `${VAR?message}`: a reference with no default to leak a value. */
const SECRET_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:?\?[^}]*)?\}$/;
const SECRET_KEY = /SECRET|PASSWORD/i;

/** The password part of a URL's userinfo (`scheme://user:password@host`), if any. */
function urlPassword(value: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:(.*)@[^@]*$/i.exec(value);
  return match?.[1];
}

/** Compose interpolation, with a stand-in for every required variable. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (_all, name: string, op?: string, arg?: string) =>
    op?.endsWith('-') ? (arg ?? '') : `${name.toLowerCase()}-stand-in-0123456789abcdef0123456789`,
  );
}

describe('docker-compose.yml', () => {
  it('names a bootstrap file that declares the clients the apps authenticate as', () => {
    const file = environmentOf(services.auth).BOOTSTRAP_FILE;
    expect(file).toBe('config/bootstrap.production.yaml');
    const clients = (parse(readFileSync(join(ROOT, file), 'utf8')) as { clients: { clientId: string; introspect?: boolean }[] }).clients;
    expect(clients.map((client) => client.clientId).sort()).toEqual(['gateway', 'orders-service']);
    expect(clients.find((client) => client.clientId === 'gateway')?.introspect).toBe(true);
    const secrets = { GATEWAY_CLIENT_SECRET: 'g'.repeat(32), ORDERS_SERVICE_SECRET: 'o'.repeat(32) };
    expect(readBootstrapFile(join(ROOT, file), secrets).clients.map((client) => client.secret)).toEqual([
      secrets.GATEWAY_CLIENT_SECRET,
      secrets.ORDERS_SERVICE_SECRET,
    ]);
  });

  it('defines every app service', () => {
    expect(APP_NAMES.filter((app) => !services[app]).map((app) => `${app}: service missing`)).toEqual([]);
  });

  it.each(APP_NAMES)('%s: every environment key is a declared setting of that app, or a variable its bootstrap file reads', (app) => {
    expect(undeclaredKeys(app, environmentOf(services[app]))).toEqual([]);
  });

  it.each(APP_NAMES)('%s: its environment passes its settings validation in production', (app) => {
    const env = Object.fromEntries(Object.entries(environmentOf(services[app])).map(([key, value]) => [key, interpolate(value)]));
    expect(env.NODE_ENV).toBe('production');
    let problem = '';
    try {
      loadSettings(APPS[app], env);
    } catch (error) {
      problem = `${app}: ${(error as Error).message}`;
    }
    expect(problem).toBe('');
  });

  it('holds no literal secret: secrets and URL passwords are ${...} references without defaults', () => {
    const literal: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(environmentOf(service))) {
        if (SECRET_KEY.test(key) && !SECRET_REFERENCE.test(value)) {
          literal.push(`${name}: ${key} must be a \${VAR:?message} reference, not a literal value`);
        }
        const password = urlPassword(value);
        if (password !== undefined && !SECRET_REFERENCE.test(password)) {
          literal.push(`${name}: the password in ${key} must be a \${VAR} reference, not a literal value`);
        }
      }
    }
    expect(literal).toEqual([]);
  });

  it('builds every app service from the one image at the top level', () => {
    const problems: string[] = [];
    const reference = services.gateway;
    for (const app of APP_NAMES) {
      const service = services[app];
      const context = typeof service?.build === 'string' ? service.build : (service?.build as { context?: string } | undefined)?.context;
      if (context !== '.' && context !== './') problems.push(`${app}: build must be the repository root (.), got ${JSON.stringify(service?.build)}`);
      if (JSON.stringify(service?.build) !== JSON.stringify(reference?.build)) problems.push(`${app}: build differs from the gateway's`);
      if (service?.image !== reference?.image) problems.push(`${app}: image ${service?.image} differs from the gateway's ${reference?.image}`);
      const command = [service?.command ?? []].flat().join(' ');
      const main = `dist/apps/${app}/apps/${app}/src/main.js`;
      if (!command.includes(main)) problems.push(`${app}: command must run ${main}, got "${command}"`);
    }
    expect(problems).toEqual([]);
  });

  it('publishes ports for the gateway only, and the gateway publishes 3000', () => {
    const published = Object.entries(services)
      .filter(([name, service]) => name !== 'gateway' && (service.ports ?? []).length > 0)
      .map(([name, service]) => `${name}: publishes ${JSON.stringify(service.ports)}; only the gateway may`);
    expect(published).toEqual([]);
    const gatewayPorts = (services.gateway?.ports ?? []).map((port) =>
      typeof port === 'object' && port !== null ? String((port as { target?: unknown }).target) : String(port).split(':').pop(),
    );
    expect(gatewayPorts).toContain('3000');
  });
});

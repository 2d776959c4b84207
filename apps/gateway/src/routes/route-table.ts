import { plainToInstance } from 'class-transformer';
import { type ValidationError, validateSync } from 'class-validator';
import { APP_NAMES, BODY_LIMIT } from '@gatehouse/contracts';
import { readYamlFile, StartupError } from '@gatehouse/config';
import type { GatewaySettings } from '../gateway.settings';
import { isUpstreamSetting, OWN_SERVICE_BODY_LIMIT, type Route, type RouteDeclaration, RoutesFile, UPSTREAM_AUDIENCE } from './route';

const BUILT_MODES: readonly string[] = ['public', 'jwt', 'introspection', 'session'];
// Modes in which the gateway asks the auth app about a credential, as its own client.
const ASKING_MODES: readonly string[] = ['introspection', 'session'];

function problems(errors: ValidationError[], file: RoutesFile, at = ''): string[] {
  return errors.flatMap((error) => {
    // Name a route by its prefix, so the operator finds it in the file.
    const index = Number(error.property);
    const label = at === 'routes.' && Number.isInteger(index) ? `route ${index} (${file.routes[index]?.prefix ?? '?'})` : `${at}${error.property}`;
    return [
      ...Object.values(error.constraints ?? {}).map((text) => `${label}: ${text}`),
      ...problems(error.children ?? [], file, at === 'routes.' ? `${label}.` : `${at}${error.property}.`),
    ];
  });
}

/**
 * A team's own service (upstream by URL) names itself, the audience of its internal tokens, and
 * never a platform app's name: tokens minted for `users` and sent elsewhere could be replayed to
 * users. A platform upstream already has its name, and another there would mint tokens it refuses.
 */
function serviceProblem(route: RouteDeclaration): string[] {
  if (!isUpstreamSetting(route.upstream) && !route.service) return [`route ${route.prefix}: an upstream by URL needs service: <its name>`];
  if (!isUpstreamSetting(route.upstream) && (APP_NAMES as readonly string[]).includes(route.service ?? '')) {
    return [`route ${route.prefix}: service ${route.service} is a platform app's name; name the service behind ${route.upstream}`];
  }
  if (isUpstreamSetting(route.upstream) && route.service && route.service !== UPSTREAM_AUDIENCE[route.upstream]) {
    return [`route ${route.prefix}: ${route.upstream} is the ${UPSTREAM_AUDIENCE[route.upstream]} service, not ${route.service}`];
  }
  return [];
}

/**
 * The routes of `GATEWAY_ROUTES_FILE`, validated once at start; an error names the route and the
 * field. Matching is by path segment (`/users` matches `/users` and `/users/1`, not `/usersx`),
 * and the longest prefix wins.
 */
export class RouteTable {
  private constructor(readonly routes: readonly Route[]) {}

  static load(settings: GatewaySettings): RouteTable {
    const path = settings.GATEWAY_ROUTES_FILE;
    const file = plainToInstance(RoutesFile, readYamlFile('GATEWAY_ROUTES_FILE', path) ?? {}, { exposeDefaultValues: true });
    const errors = validateSync(file, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw StartupError.of(`GATEWAY_ROUTES_FILE ${path} is invalid`, problems(errors, file), `correct these routes in ${path}`);
    const unnamed = file.routes.flatMap((route) => serviceProblem(route));
    if (unnamed.length > 0) throw StartupError.of(`GATEWAY_ROUTES_FILE ${path} is invalid`, unnamed, `correct these routes in ${path}`);
    const routes = file.routes.map(({ service, ...route }) => {
      const upstreamBodyLimit = isUpstreamSetting(route.upstream) ? BODY_LIMIT[UPSTREAM_AUDIENCE[route.upstream]] : OWN_SERVICE_BODY_LIMIT;
      return {
        ...route,
        upstream: new URL(isUpstreamSetting(route.upstream) ? settings.upstream(route.upstream) : route.upstream),
        upstreamName: route.upstream,
        propagation: route.propagation ?? settings.IDENTITY_PROPAGATION,
        audience: isUpstreamSetting(route.upstream) ? UPSTREAM_AUDIENCE[route.upstream] : (service as string),
        bodyLimit: Math.min(route.bodyLimit ?? upstreamBodyLimit, settings.GATEWAY_BODY_LIMIT),
        upstreamBodyLimit,
      };
    });
    // Never let a request through on a mode that is not built: refuse the file instead.
    const unbuilt = routes.filter((route) => !BUILT_MODES.includes(route.auth));
    if (unbuilt.length > 0) {
      throw StartupError.of(
        `GATEWAY_ROUTES_FILE ${path}`,
        unbuilt.map((route) => `route ${route.prefix}: auth mode ${route.auth} is not available yet`),
        'choose another auth mode for these routes',
      );
    }
    const asking = routes.find((route) => ASKING_MODES.includes(route.auth));
    if (asking && !settings.GATEWAY_CLIENT_SECRET) {
      throw StartupError.of(
        `GATEWAY_ROUTES_FILE ${path}`,
        [`route ${asking.prefix}: auth mode ${asking.auth} needs GATEWAY_CLIENT_SECRET`],
        "set GATEWAY_CLIENT_SECRET to the gateway client's secret",
      );
    }
    // A session route has no bearer token to pass through, and the cookie never leaves the gateway.
    const passing = routes.find((route) => route.auth === 'session' && route.propagation === 'pass-through');
    if (passing) {
      throw StartupError.of(
        `GATEWAY_ROUTES_FILE ${path}`,
        [`route ${passing.prefix}: auth mode session cannot use propagation pass-through`],
        'choose internal-token or headers for this route',
      );
    }
    // A public route has no sign-in to step up: a requirement there would never be checked.
    const stepUpPublic = routes.find((route) => route.auth === 'public' && (route.requireAcr.length > 0 || route.maxAuthAge !== undefined));
    if (stepUpPublic) {
      throw StartupError.of(
        `GATEWAY_ROUTES_FILE ${path}`,
        [`route ${stepUpPublic.prefix}: requireAcr and maxAuthAge need an authenticated auth mode`],
        'remove them or choose jwt, introspection or session',
      );
    }
    const prefixes = routes.map((route) => route.prefix);
    const twice = prefixes.filter((prefix, index) => prefixes.indexOf(prefix) !== index);
    if (twice.length > 0) throw StartupError.of(`GATEWAY_ROUTES_FILE ${path}`, [`prefix declared twice: ${twice.join(', ')}`], 'keep one route per prefix');
    return new RouteTable([...routes].sort((a, b) => b.prefix.length - a.prefix.length));
  }

  match(path: string): Route | undefined {
    return this.routes.find((route) => {
      const prefix = route.prefix.replace(/\/$/, '');
      return path === prefix || path.startsWith(`${prefix}/`) || prefix === '';
    });
  }
}

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { GatewaySettings } from '../gateway.settings';
import type { Route } from '../routes/route';
import { RouteTable } from '../routes/route-table';
import { mergeDocuments, type MergeOptions, type UpstreamDocument } from './merge-documents';

/** The public client the auth app declares for these docs (authorization code with PKCE). */
export const DOCS_CLIENT_ID = 'gatehouse-docs';

/** Milliseconds a merged document is served before the upstreams are asked again. */
export const DOCS_TTL_MS = 30_000;
/** Shorter while an upstream is missing, so that its endpoints come back soon after it does. */
export const DEGRADED_DOCS_TTL_MS = 5_000;
const FETCH_TIMEOUT_MS = 2_000;

export type FetchDocument = (url: URL) => Promise<OpenAPIObject>;
type Built = { document: OpenAPIObject; degraded: boolean };

/**
 * The gateway's `/docs`: its own document merged with every routed upstream's `/docs-json`.
 * Upstreams are asked only when someone reads the docs, never while the gateway starts or
 * proxies, and a dead one leaves a note in the description instead of failing the page.
 */
export class PlatformDocs {
  private readonly upstreams: { app: string; name: string; url: URL; routes: Route[] }[] = [];
  private readonly options: MergeOptions;
  private cached?: { built: Promise<Built>; expires: number };

  constructor(
    table: RouteTable,
    settings: GatewaySettings,
    private readonly logger: Logger,
    private readonly fetchDocument: FetchDocument = fetchOpenApi,
    private readonly now: () => number = Date.now,
  ) {
    for (const route of table.routes) {
      const known = this.upstreams.find((upstream) => upstream.name === route.upstreamName);
      if (known) known.routes.push(route);
      else this.upstreams.push({ app: route.audience, name: route.upstreamName, url: route.upstream, routes: [route] });
    }
    const issuer = settings.AUTH_ISSUER.replace(/\/$/, '');
    const tokenUrl = `${issuer}/oauth/token`;
    // Scopes the routes require are offered in the Authorize dialog; a client may hold others.
    const scopes = Object.fromEntries(table.routes.flatMap((route) => route.scopes.map((scope) => [scope, `required by ${route.prefix}`])));
    this.options = {
      table,
      oauth2: {
        type: 'oauth2',
        description: `An access token from the auth server at ${tokenUrl}. To sign in as a person, use the authorization code flow with client_id ${DOCS_CLIENT_ID} (a public client: no secret, PKCE).`,
        flows: {
          authorizationCode: { authorizationUrl: `${issuer}/oauth/authorize`, tokenUrl, refreshUrl: tokenUrl, scopes: { openid: 'sign in', ...scopes } },
          password: { tokenUrl, refreshUrl: tokenUrl, scopes },
          clientCredentials: { tokenUrl, scopes },
        },
      },
    };
  }

  /** The merged document; concurrent readers share one round of fetches. */
  async serve(own: OpenAPIObject): Promise<OpenAPIObject> {
    let entry = this.cached;
    if (!entry || entry.expires <= this.now()) {
      const fresh = { built: this.build(own), expires: Number.POSITIVE_INFINITY };
      this.cached = entry = fresh;
      fresh.built.then(
        ({ degraded }) => (fresh.expires = this.now() + (degraded ? DEGRADED_DOCS_TTL_MS : DOCS_TTL_MS)),
        () => {
          if (this.cached === fresh) this.cached = undefined;
        },
      );
    }
    return (await entry.built).document;
  }

  private async build(own: OpenAPIObject): Promise<Built> {
    const fetched = await Promise.all(
      this.upstreams.map(async ({ app, name, url, routes }): Promise<UpstreamDocument> => {
        const at = new URL(`${url.pathname.replace(/\/$/, '')}/docs-json`, url);
        try {
          return { app, routes, document: await this.fetchDocument(at) };
        } catch (error) {
          const failure = describe(error);
          this.logger.warn({ upstream: name, failure }, `${app} left out of the platform docs`);
          return { app, routes, failure };
        }
      }),
    );
    return { document: mergeDocuments(own, fetched, this.options), degraded: fetched.some((upstream) => 'failure' in upstream) };
  }
}

/** Builds the provider of the gateway's served document from the running app. */
export function platformDocuments(app: NestFastifyApplication): (own: OpenAPIObject) => Promise<OpenAPIObject> {
  const docs = new PlatformDocs(app.get(RouteTable), app.get(GatewaySettings), app.get<symbol, Logger>(APP_LOGGER));
  return (own) => docs.serve(own);
}

async function fetchOpenApi(url: URL): Promise<OpenAPIObject> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  if (!response.ok) throw new Error(`${url.pathname} answered ${response.status}`);
  const body = (await response.json()) as Partial<OpenAPIObject> | null;
  if (typeof body?.openapi !== 'string' || typeof body.paths !== 'object' || !body.paths || typeof body.info !== 'object')
    throw new Error(`${url.pathname} is not an OpenAPI document`);
  return body as OpenAPIObject;
}

// fetch hides the reason (refused, unknown host) in `cause`.
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

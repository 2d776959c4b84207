import type { ComponentsObject, OpenAPIObject, OperationObject, PathItemObject, SecurityRequirementObject, TagObject } from '@nestjs/swagger';
import type { Route } from '../routes/route';
import type { RouteTable } from '../routes/route-table';

/** What one upstream gave when asked for its document: the document, or why not. */
export type UpstreamDocument = { app: string; routes: readonly Route[] } & ({ document: OpenAPIObject } | { failure: string });

export interface MergeOptions {
  table: RouteTable;
  /** The scheme of the Authorize button, named `oauth2` in the merged document. */
  oauth2: NonNullable<ComponentsObject['securitySchemes']>[string];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
// Every app serves these itself; through the gateway they would be the gateway's own, not the upstream's.
const OWN_PATHS = /^\/(health|metrics|docs)(\/|-|$)/;
// Security schemes stay the gateway's: an upstream's name for the bearer token means the platform's token.
type ComponentKind = Exclude<keyof ComponentsObject, 'securitySchemes'>;

/**
 * The platform's one document: the gateway's own paths, then each upstream's paths as the gateway
 * exposes them (only those its route table sends to that upstream). The gateway's own paths win,
 * as its own routes win over the proxy.
 */
export function mergeDocuments(own: OpenAPIObject, upstreams: readonly UpstreamDocument[], { table, oauth2 }: MergeOptions): OpenAPIObject {
  const merged: OpenAPIObject = copy(own);
  const components: ComponentsObject = (merged.components ??= {});
  components.securitySchemes = { ...components.securitySchemes, oauth2 };
  const tags: TagObject[] = (merged.tags ??= []);
  const operationIds = new Set(Object.values(merged.paths).flatMap((item) => operationsOf(item).map(([, operation]) => operation.operationId)));
  const missing: string[] = [];

  for (const upstream of upstreams) {
    if ('failure' in upstream) {
      missing.push(upstream.app);
      continue;
    }
    const document = withComponentsOf(upstream.app, upstream.document, components);
    let exposedAny = false;
    for (const route of upstream.routes) {
      for (const [path, item] of Object.entries(document.paths)) {
        if (OWN_PATHS.test(path)) continue;
        const exposed = route.stripPrefix ? `${route.prefix.replace(/\/$/, '')}${path}` : path;
        if (table.match(exposed) !== route || merged.paths[exposed]) continue;
        merged.paths[exposed] = exposedItem(item, upstream.app, route, operationIds);
        exposedAny = true;
      }
    }
    if (exposedAny) tags.push({ name: upstream.app, description: document.info.description ?? document.info.title });
  }
  if (missing.length > 0) {
    const names = missing.join(', ');
    merged.info.description =
      `${merged.info.description ?? ''}\n\n**Unavailable: ${names}.** The gateway could not fetch the OpenAPI document of ${names}, so those endpoints are missing here until it can again.`.trim();
  }
  return merged;
}

/**
 * Adds the upstream's components to the merged ones and answers the upstream's document with its
 * references following any rename: a name already taken by a different definition gets the app's
 * name in front, so two services' `ErrorBody` never overwrite each other.
 */
function withComponentsOf(app: string, document: OpenAPIObject, into: ComponentsObject): OpenAPIObject {
  const renames = new Map<string, string>();
  const prefix = app.charAt(0).toUpperCase() + app.slice(1);
  const kinds = Object.keys(document.components ?? {}).filter((kind): kind is ComponentKind => kind !== 'securitySchemes');
  for (const kind of kinds) {
    const taken: Record<string, unknown> = into[kind] ?? {};
    for (const [name, definition] of Object.entries(document.components?.[kind] ?? {})) {
      const existing = taken[name];
      if (existing === undefined || JSON.stringify(existing) === JSON.stringify(definition)) continue;
      let renamed = `${prefix}${name}`;
      for (let n = 2; taken[renamed] !== undefined || document.components?.[kind]?.[renamed] !== undefined; n++) renamed = `${prefix}${name}${n}`;
      renames.set(`#/components/${kind}/${name}`, `#/components/${kind}/${renamed}`);
    }
  }
  const renamed = copy(document, renames);
  for (const kind of kinds) {
    const definitions = renamed.components?.[kind] ?? {};
    const target: Record<string, unknown> = { ...into[kind] };
    for (const [name, definition] of Object.entries(definitions)) {
      const ref = renames.get(`#/components/${kind}/${name}`);
      target[ref ? ref.slice(ref.lastIndexOf('/') + 1) : name] = definition;
    }
    (into as Record<ComponentKind, unknown>)[kind] = target;
  }
  return renamed;
}

function exposedItem(item: PathItemObject, app: string, route: Route, operationIds: Set<string | undefined>): PathItemObject {
  const exposed: PathItemObject = { ...item };
  for (const [method, operation] of operationsOf(item)) {
    let operationId = operation.operationId;
    if (operationId !== undefined) {
      // Deep links of the UI need ids unique across the platform.
      if (operationIds.has(operationId)) operationId = `${app}_${operationId}`;
      for (let n = 2; operationIds.has(operationId); n++) operationId = `${app}_${operation.operationId}_${n}`;
      operationIds.add(operationId);
    }
    exposed[method] = { ...operation, operationId, tags: [app], security: securityThrough(route, operation.security) };
  }
  return exposed;
}

/**
 * What the gateway asks for: a `jwt` route needs the access token whatever the service declares;
 * a public route passes the service's own declaration through, every credential of the platform
 * being the auth server's access token (from the Authorize button, or pasted).
 */
function securityThrough(route: Route, declared: SecurityRequirementObject[] | undefined): SecurityRequirementObject[] | undefined {
  const token = (scopes: string[]): SecurityRequirementObject[] => [{ oauth2: scopes }, { bearer: [] }];
  if (route.auth === 'jwt') return token([...route.scopes]);
  return declared?.flatMap((requirement) => (Object.keys(requirement).length === 0 ? [requirement] : token(Object.values(requirement).flat())));
}

function operationsOf(item: PathItemObject): [(typeof METHODS)[number], OperationObject][] {
  return METHODS.flatMap((method) => (item[method] ? [[method, item[method]] as [(typeof METHODS)[number], OperationObject]] : []));
}

/** A deep copy, with `$ref`s renamed on the way; the cached and fetched documents stay untouched. */
function copy(document: OpenAPIObject, renames = new Map<string, string>()): OpenAPIObject {
  return JSON.parse(JSON.stringify(document), (key, value: unknown) =>
    key === '$ref' && typeof value === 'string' ? (renames.get(value) ?? value) : value,
  ) as OpenAPIObject;
}

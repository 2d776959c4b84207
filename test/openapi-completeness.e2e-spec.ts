import type { OpenAPIObject } from '@nestjs/swagger';
import type { RunningApp } from '@gatehouse/app-kit';
import { startPlatform } from '../apps/platform/src/platform';
import { http } from './support/http';
import { createTestEnv, type TestEnv } from './support/test-env';

type Operation = { summary?: string; responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };
type Schema = { $ref?: string; type?: string; items?: Schema };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/**
 * Operations whose success answer is not JSON, each with why. Everything else answers a typed body.
 * `/docs*`, health and metrics are left out of the documents already, so they need no entry here.
 */
const NOT_JSON: Record<string, string> = {
  'GET /oauth/authorize': 'answers the HTML sign-in or consent page, or redirects back to the client',
  'POST /oauth/authorize': 'the same authorization request as a form post: HTML or a redirect',
  'GET /oauth/logout': 'answers the HTML signed-out page, or redirects to the client',
  'POST /oauth/logout': 'the same, by form post: HTML or a redirect',
  'GET /auth/password/forgot': 'answers the HTML forgot-password page',
  'GET /auth/password/reset': 'answers the HTML page of a reset link',
  'GET /auth/email/verify': 'answers the HTML page of a verification link',
};

/** A response body a client generator can name: a `$ref` to a schema, or an array of one. */
const named = (schema: Schema | undefined, document: OpenAPIObject): boolean => {
  if (schema?.type === 'array') return named(schema.items, document);
  const name = schema?.$ref?.match(/^#\/components\/schemas\/(.+)$/)?.[1];
  return name !== undefined && document.components?.schemas?.[name] !== undefined;
};

/** Every operation of the document without a summary or without a typed success body, as `METHOD /path: why`. */
export function incompleteOperations(document: OpenAPIObject): string[] {
  const offenders: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      const name = `${method.toUpperCase()} ${path}`;
      if (!operation.summary?.trim()) offenders.push(`${name}: no summary`);
      if (NOT_JSON[name]) continue;
      const successes = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      const bodiless = successes.length > 0 && successes.every(([status]) => status === '204');
      const redirects = ['302', '303'].some((status) => operation.responses?.[status] !== undefined);
      if (bodiless || (successes.length === 0 && redirects)) continue;
      const typed = successes.some(([, response]) => Object.values(response.content ?? {}).some((media) => named(media.schema, document)));
      if (!typed) offenders.push(`${name}: no typed success response`);
    }
  }
  return offenders.sort();
}

describe('OpenAPI: every operation has a summary and a typed success response', () => {
  let testEnv: TestEnv;
  let apps: RunningApp[];

  const docsOf = async (app: RunningApp) => {
    const answer = await http<OpenAPIObject>(`${app.url}/docs-json`);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  beforeAll(async () => {
    testEnv = await createTestEnv();
    apps = await startPlatform({ env: testEnv.env });
  });

  afterAll(async () => {
    for (const app of [...(apps ?? [])].reverse()) await app.close();
    await testEnv?.cleanup();
  });

  it('finds an operation without them (the check itself can fail)', () => {
    const document = {
      openapi: '3.0.0',
      info: { title: 'probe', version: '1' },
      components: { schemas: { Thing: { type: 'object' } } },
      paths: {
        '/typed': {
          get: {
            summary: 'typed',
            responses: {
              200: { description: '', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Thing' } } } } },
            },
          },
        },
        '/untyped': { post: { summary: 'untyped', responses: { 201: { description: 'something' } } } },
        '/unnamed': { get: { responses: { 200: { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } } } } } },
        '/empty': { delete: { summary: 'empty', responses: { 204: { description: '' } } } },
      },
    } as unknown as OpenAPIObject;
    expect(incompleteOperations(document)).toEqual([
      'GET /unnamed: no summary',
      'GET /unnamed: no typed success response',
      'POST /untyped: no typed success response',
    ]);
  });

  it("holds in the gateway's merged document of the whole platform", async () => {
    const gateway = apps.find((app) => app.name === 'gateway')!;
    const document = await docsOf(gateway);
    expect(Object.keys(document.paths).length).toBeGreaterThan(20);
    expect(incompleteOperations(document)).toEqual([]);
    // An exclusion names an operation that exists: a renamed one would otherwise go unchecked.
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations).toEqual(expect.arrayContaining(Object.keys(NOT_JSON)));
  });

  it("holds in each app's own document", async () => {
    const offenders: string[] = [];
    for (const app of apps) offenders.push(...incompleteOperations(await docsOf(app)).map((offender) => `${app.name}: ${offender}`));
    expect(offenders).toEqual([]);
  });
});

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Answers the document to serve, given the app's own; asked on every request for the docs. */
export type ServedDocument = (own: OpenAPIObject) => Promise<OpenAPIObject>;

export interface DocsOptions {
  title: string;
  description: string;
  /**
   * Set where the served document is more than the app's own (the gateway adds its upstreams').
   * Called once the app is created, so that it can take the app's providers.
   */
  document?: (app: NestFastifyApplication) => ServedDocument;
  /**
   * The public client Swagger UI's Authorize uses for the authorization code flow, and the exact
   * redirect URI that client registered. Swagger UI sends PKCE only when told to (the platform's
   * authorization endpoint refuses a request without it), and left alone it derives its redirect
   * URI from the page's own address, which differs from the registered one.
   */
  oauth?: (app: NestFastifyApplication) => { clientId: string; redirectUrl: string };
}

/** `/docs` (Swagger UI) and `/docs-json` (the OpenAPI document) of one app. */
export function setupDocs(app: NestFastifyApplication, { title, description, document: served, oauth }: DocsOptions): void {
  const config = new DocumentBuilder()
    .setTitle(title)
    .setDescription(description)
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const serve = served?.(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    ...swaggerOAuth(oauth?.(app)),
    yamlDocumentUrl: 'docs-yaml',
    // Asked per request (UI, JSON and YAML alike), so a served document can change while the app runs.
    ...(serve ? { patchDocumentOnRequest: (_request: unknown, _reply: unknown, own: OpenAPIObject) => serve(own) } : {}),
  });
}

function swaggerOAuth(oauth: { clientId: string; redirectUrl: string } | undefined): { swaggerOptions?: Record<string, unknown> } {
  if (!oauth) return {};
  return { swaggerOptions: { oauth2RedirectUrl: oauth.redirectUrl, initOAuth: { clientId: oauth.clientId, usePkceWithAuthorizationCodeGrant: true } } };
}

import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppRuntime, type AppStartOptions, type CommonSettings, describeSettings, loadSettings, readDotEnv, StartupError } from '@gatehouse/config';
import type { AppName, MessagingAppName } from '@gatehouse/contracts';
import { acceptRequestId, AppMetrics, createLogger, type Logger, NestPinoLogger, startTracing } from '@gatehouse/observability';
import { messageServerOptions } from '@gatehouse/transport';
import { AppKitModule } from './app-kit.module';
import { type DocsOptions, setupDocs } from './docs';
import { answerClientError, answerFrameworkError } from './framework-errors';
import type { AuthDeclaration } from '@gatehouse/security';
import type { FastifyInstance, HTTPMethods, RouteHandlerMethod } from 'fastify';
import { installHttpHooks, type MetricsRoute } from './http-hooks';
import { Lifecycle } from './lifecycle';

/** Everything `startApp` needs to know about one app. */
export interface AppDefinition<S extends CommonSettings> {
  name: AppName;
  settings: new () => S;
  port: (settings: S) => number;
  /** The app's root module; it receives the kit to import, already configured. */
  module: (kit: DynamicModule, settings: S) => DynamicModule;
  /** Set when the app also handles messages on the transport. */
  messages?: MessagingAppName;
  docs: DocsOptions;
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
  /**
   * Set to false where the app streams bodies itself (the gateway's proxy): no JSON or form
   * parsing, every body reaches the handler as the raw request stream.
   */
  parseBodies?: boolean;
  /** The route a request counts under in metrics (the gateway: the routes-file prefix it matched). */
  metricsRoute?: MetricsRoute;
  /**
   * Set to false where no code needs the request's context from AsyncLocalStorage (the gateway
   * reads it from the request, attachedRequestContext): its hooks on every promise of every request
   * are then spared.
   */
  requestContext?: boolean;
  /** How the app meets the outside when it is an edge (the gateway): HTTPS and what goes with it. */
  edge?: (settings: S, logger: Logger) => AppEdge | undefined;
  /**
   * Routes Fastify serves without Nest's router: for a hot path where Nest's per-request execution
   * context, guards and promises cost more than the work itself (the gateway's proxy). The app's
   * error filter and hooks still apply; the deny-by-default guard does not, so each declares its
   * auth (the route inventory lists it) and its handler enforces it.
   */
  httpRoutes?: (app: NestFastifyApplication) => DeclaredRoute[];
}

/** A route of `AppDefinition.httpRoutes`. */
export interface DeclaredRoute {
  method: HTTPMethods[];
  url: string;
  auth: AuthDeclaration;
  handler: RouteHandlerMethod;
}

/** An edge listener's extras; every part is optional. */
export interface AppEdge {
  /** The listener serves HTTPS with these node:tls options. */
  https?: SecureContextOptions;
  /** Hooks that run before the app's own on every request (HSTS, redirects). */
  install?(fastify: FastifyInstance): void;
  /** Once the app listens (certificate watchers, a redirect listener); returns what stops them. */
  started?(server: Server): Promise<() => Promise<void>>;
}

export interface RunningApp<S extends CommonSettings = CommonSettings> {
  name: AppName;
  app: NestFastifyApplication;
  settings: S;
  logger: Logger;
  url: string;
  /** Closes at once: in-flight requests get up to `SHUTDOWN_TIMEOUT`, then their connections are cut. */
  close(): Promise<void>;
  /** Starts draining: readiness answers 503 and answers ask clients to reconnect; requests are still served. */
  beginShutdown(): void;
  /** The app's `httpRoutes`, as declared (for the route inventory). */
  httpRoutes: readonly Omit<DeclaredRoute, 'handler'>[];
}

/**
 * Starts one app: settings validated first (a bad key never reaches Nest), then the Nest app on
 * Fastify, the message server once the app is initialised, and the HTTP listener last.
 */
export async function startApp<S extends CommonSettings>(definition: AppDefinition<S>, options: AppStartOptions = {}): Promise<RunningApp<S>> {
  const env = options.env ?? { ...readDotEnv(), ...process.env };
  const { settings, warnings } = loadSettings(definition.settings, env);
  const runtime: AppRuntime = { app: definition.name, layout: options.layout ?? 'standalone', env };
  const logger = createLogger({ app: definition.name, level: settings.LOG_LEVEL, format: settings.logFormat });
  for (const warning of warnings) {
    logger.warn({ setting: warning.key }, `insecure setting tolerated outside production: ${warning.message}`);
  }
  // The effective settings (secrets masked): at debug, since a terminal has no room for them.
  logger.debug({ settings: describeSettings(settings), layout: runtime.layout }, 'settings loaded');

  const metrics = new AppMetrics(definition.name);
  const tracing = await startTracing({ app: definition.name, exporter: settings.OTEL_EXPORTER, otlpUrl: settings.OTEL_EXPORTER_OTLP_ENDPOINT });
  const lifecycle = new Lifecycle();
  const edge = definition.edge?.(settings, logger);
  const kit = AppKitModule.forRoot({ runtime, settings, settingsType: definition.settings, metrics, logger, lifecycle });
  const adapter = new FastifyAdapter({
    genReqId: (request: IncomingMessage) => acceptRequestId(request.headers['x-request-id']),
    bodyLimit: definition.bodyLimit ?? 1024 * 1024,
    trustProxy: false,
    ...(edge?.https ? { https: edge.https } : {}),
    logger: false,
    // Fastify's default of 100 is below the longest id the platform issues (client ids: 128).
    routerOptions: { maxParamLength: 256 },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // While closing, a request on a kept-alive connection is served like any other (and ends that
    // connection), instead of Fastify's own 503 body.
    return503OnClosing: false,
  });
  if (definition.parseBodies === false) {
    const fastify = adapter.getInstance();
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  }
  let stopEdge: (() => Promise<void>) | undefined;
  let httpRoutes: DeclaredRoute[] = [];
  const app = await NestFactory.create<NestFastifyApplication>(definition.module(kit, settings), adapter, {
    bodyParser: definition.parseBodies !== false,
    // Nest's logger is process-wide: in the platform every app shares the one it is handed.
    logger: options.frameworkLogger ?? new NestPinoLogger(logger),
    abortOnError: false,
  });
  try {
    const fastify = app.getHttpAdapter().getInstance();
    edge?.install?.(fastify);
    installHttpHooks(fastify, logger, metrics, definition.metricsRoute, settings.accessLog, definition.requestContext !== false, tracing);
    // A draining instance asks each client to reconnect (to another instance) after its answer.
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      if (lifecycle.draining) void reply.header('connection', 'close');
      done(null, payload);
    });
    httpRoutes = definition.httpRoutes?.(app) ?? [];
    for (const { method, url, auth, handler } of httpRoutes) fastify.route({ method, url, config: { auth }, handler });
    setupDocs(app, definition.docs);
    await app.init();
    if (definition.messages) {
      app.connectMicroservice(messageServerOptions(settings, definition.messages), { inheritAppConfig: true });
      await app.startAllMicroservices().catch((error: unknown) => {
        throw portInUse(error, settings.host, `${definition.name.toUpperCase()}_TCP_PORT`) ?? error;
      });
    }
    const port = definition.port(settings);
    await app.listen({ port, host: settings.host }).catch((error: unknown) => {
      throw portInUse(error, settings.host, `${definition.name.toUpperCase()}_PORT`, port) ?? error;
    });
    stopEdge = await edge?.started?.(app.getHttpServer());
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address() as AddressInfo;
  const url = `${edge?.https ? 'https' : 'http'}://${settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host}:${address.port}`;
  logger.info({ url }, 'listening');
  return {
    name: definition.name,
    app,
    settings,
    logger,
    url,
    httpRoutes: httpRoutes.map(({ method, url: path, auth }) => ({ method, url: path, auth })),
    beginShutdown: () => {
      if (lifecycle.draining) return;
      lifecycle.draining = true;
      logger.info({ graceSeconds: settings.shutdownGraceSeconds }, 'draining: readiness answers 503');
    },
    close: async () => {
      lifecycle.draining = true;
      await stopEdge?.().catch(() => undefined);
      await closeWithin(app, settings.SHUTDOWN_TIMEOUT * 1000, logger);
      await tracing?.shutdown().catch(() => undefined);
      logger.flush();
    },
  };
}

/**
 * Closes the app (the listener first, then the modules): in-flight requests finish, idle
 * keep-alive connections close; past `timeoutMs` the connections still open are cut, so a stuck
 * request never holds a stop (and a rolling deploy) forever.
 */
async function closeWithin(app: NestFastifyApplication, timeoutMs: number, logger: Logger): Promise<void> {
  const server = app.getHttpServer();
  const timer = setTimeout(() => {
    logger.warn({ timeoutMs }, 'requests still in flight at the shutdown timeout: their connections are cut');
    server.closeAllConnections();
  }, timeoutMs);
  timer.unref();
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}

/** A listener that cannot bind: which port, and the setting that moves it. */
function portInUse(error: unknown, host: string, setting: string, port?: number): StartupError | undefined {
  const code = (error as { code?: unknown }).code;
  if (code !== 'EADDRINUSE' && code !== 'EACCES') return undefined;
  const reported = (error as { port?: unknown }).port;
  const which = port ?? (typeof reported === 'number' ? reported : '?');
  const why = code === 'EADDRINUSE' ? 'is in use by another process' : 'may not be opened by this user';
  return StartupError.of(`Port ${String(which)} on ${host} (${setting}) ${why}`, [], `stop what holds it, or choose another port with ${setting}`);
}

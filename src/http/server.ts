import cookie from '@fastify/cookie';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Gatehouse } from '../gatehouse.js';
import { managementApi } from './api/management-api.js';
import { browserContext } from './browser/browser-context.js';
import { pageErrorHandler } from './browser/page-errors.js';
import { registerFormBodyParsers } from './form-body-parsers.js';
import { ReadLane, type LaneWatcher } from '../resources/read-lane.js';
import type { RecordRepository } from '../resources/record-repository.js';
import { sampleApis } from '../resources/sample-apis.js';
import { assetRoutes } from './routes/assets.js';
import { addExtraScopeRoutes } from './routes/add-extra-scope.js';
import { authorizeRoutes } from './routes/authorize.js';
import { orgAuthorizeRoutes } from './routes/org-authorize.js';
import { changePasswordRoutes } from './routes/change-password.js';
import { connectedAppsRoutes } from './routes/connected-apps.js';
import { developerConsoleRoutes } from './routes/console/index.js';
import { deviceRoutes } from './routes/device.js';
import { devicePageRoutes } from './routes/device-pages.js';
import { signInRoutes } from './routes/sign-in.js';
import { logoutRoutes } from './routes/logout.js';
import { silentRefreshRoutes } from './routes/silent-refresh.js';
import { oauthErrorHandler } from './error-exit.js';
import type { GatehouseMetrics } from './metrics/gatehouse-metrics.js';
import { metricsRoute } from './metrics/metrics-endpoint.js';
import { gatehouseReadiness, type Readiness } from './readiness.js';
import { laneRequestLog, logsRequests, OneLinePerRequest, requestSerializers } from './request-log.js';
import { introspectionRoutes } from './routes/introspection.js';
import { metadataRoutes } from './routes/metadata.js';
import { oidcUserInfoRoutes } from './routes/oidc-userinfo.js';
import { registrationRoutes } from './routes/registration.js';
import { revocationRoutes } from './routes/revocation.js';
import { secondFactorRoutes } from './routes/second-factor.js';
import { accountSecurityRoutes } from './routes/account-security.js';
import { scopeEnhanceTokenRoutes } from './routes/scope-enhance-token.js';
import { tokenRoutes } from './routes/token.js';
import { parRoutes } from './routes/par.js';
import { userInfoRoutes } from './routes/user-info.js';
import { zestRoutes } from './routes/zest.js';

/** Headers every OAuth response carries: no caching of credentials (RFC 6749 §5.1), no sniffing, no framing. */
const OAUTH_HEADERS = {
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

/**
 * Headers of every page: scripts and styles only as files from this origin (never inline), requests from script only
 * to this origin (the passkey buttons fetch their WebAuthn options), never framed (clickjacking), nothing cached,
 * no Referer for other sites (the authorization URL carries state). `same-origin`, not `no-referrer`: under
 * `no-referrer` browsers send `Origin: null` on the pages' own form posts, which the CSRF check must refuse. No
 * form-action: Chrome applies it to the redirect that follows a form, and consent ends with a redirect to the app.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export interface HttpOptions {
  /** pino options (`logDestination` for the stream, as `serve` does); false for silence (tests). */
  logger?: false | { level: string; stream?: DestinationStream };
  /** The proxies whose `X-Forwarded-For` gives the client's address (Fastify's `trustProxy`); none by default. */
  trustProxy?: false | string;
  /** What /readyz reports; `serve` passes its own so that it can mark the node draining. By default, the Gatehouse's. */
  readiness?: Readiness;
  /** Counts every request in these metrics, and serves them at `GET /metrics` unless `metricsOnOwnPort`. */
  metrics?: GatehouseMetrics;
  /** The metrics have a listener of their own (`GATEHOUSE_METRICS_PORT`): this server has no /metrics. */
  metricsOnOwnPort?: boolean;
}

/**
 * The HTTP edge: parses requests into the core's terms and writes its results. Protocol logic stays in `core/`.
 */
export function buildHttpServer(gatehouse: Gatehouse, records: RecordRepository, options: HttpOptions = {}): FastifyInstance {
  const requestsLogged = options.logger !== undefined && options.logger !== false && logsRequests(options.logger.level);
  const app = Fastify({
    logger: options.logger ? { ...options.logger, serializers: requestSerializers } : false,
    logController: new OneLinePerRequest(options.logger ? options.metrics?.fastifyRequest : undefined),
    bodyLimit: gatehouse.config.bodyLimit,
    trustProxy: options.trustProxy ?? false,
    // While closing, Fastify would answer every request on a kept-alive connection with its own bare 503. Off, such a
    // request is answered by its route, with `Connection: close` (Fastify adds it), so a request already sent is served
    // during a graceful shutdown, and /readyz says why it is 503 in its own words.
    return503OnClosing: false,
  });
  // Fastify tells its log controller of each answered request only when it has a logger (`serve` always has one);
  // without one (tests), a hook does it.
  const countRequest = options.metrics?.fastifyRequest;
  if (countRequest && !options.logger) {
    app.addHook('onResponse', (request, reply, done) => {
      countRequest(request, reply);
      done();
    });
  }
  const lane = new ReadLane(
    laneWatcher(requestsLogged ? laneRequestLog(app.log, options.trustProxy) : undefined, options.metrics?.laneRequest),
  );
  lane.install(app.server);
  app.addHook('preClose', (done) => {
    lane.close();
    done();
  });

  routeGroup(app, gatehouse, oauthErrorHandler(gatehouse.config.errorStyle), OAUTH_HEADERS, (oauth) => {
    tokenRoutes(oauth, gatehouse);
    parRoutes(oauth, gatehouse);
    scopeEnhanceTokenRoutes(oauth, gatehouse);
    revocationRoutes(oauth, gatehouse);
    introspectionRoutes(oauth, gatehouse);
    userInfoRoutes(oauth, gatehouse);
    metadataRoutes(oauth, gatehouse);
    oidcUserInfoRoutes(oauth, gatehouse);
    zestRoutes(oauth, gatehouse);
    deviceRoutes(oauth, gatehouse);
    registrationRoutes(oauth, gatehouse);
  });

  routeGroup(app, gatehouse, pageErrorHandler(gatehouse.config.dataCenters), PAGE_HEADERS, (pages) => {
    // Cookies only where pages read them: the OAuth endpoints and APIs skip the parsing hook.
    pages.register(cookie);
    const context = browserContext(gatehouse);
    authorizeRoutes(pages, context);
    orgAuthorizeRoutes(pages, context);
    addExtraScopeRoutes(pages, context);
    silentRefreshRoutes(pages, context);
    signInRoutes(pages, context);
    logoutRoutes(pages, context);
    secondFactorRoutes(pages, context);
    accountSecurityRoutes(pages, context);
    connectedAppsRoutes(pages, context);
    changePasswordRoutes(pages, context);
    developerConsoleRoutes(pages, context);
    devicePageRoutes(pages, context);
  });
  assetRoutes(app);
  sampleApis(app, gatehouse, records, lane);
  managementApi(app, gatehouse);

  app.get('/healthz', async () => ({ status: 'ok' }));
  const readiness = options.readiness ?? gatehouseReadiness(gatehouse);
  // Probed every few seconds by each load balancer: its request lines are left out at the default level (warn
  // and above still show), and a failing check is logged when it starts failing, not at each probe.
  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const report = await readiness.report(app.log);
    return reply
      .code(report.status === 'ready' ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(report);
  });
  if (options.metrics && !options.metricsOnOwnPort) metricsRoute(app, options.metrics);
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'not_found', error_description: `No route for ${request.method} ${request.url.split('?')[0]}.` });
  });
  return app;
}

/**
 * An encapsulated group of routes: the form body parsers, one error exit and one set of response headers, none of
 * which leak to the other groups (the management API will keep its JSON parser and its own errors).
 */
function routeGroup(
  app: FastifyInstance,
  gatehouse: Gatehouse,
  errorHandler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply,
  headers: Record<string, string>,
  routes: (group: FastifyInstance) => void,
): void {
  app.register(async (group) => {
    registerFormBodyParsers(group, gatehouse.config);
    group.setErrorHandler(errorHandler);
    // A callback hook, not an async one: it runs on every request, and an async hook costs a promise and a turn.
    group.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
    routes(group);
  });
}

/** What watches the read lane's requests: the log, the metrics, both, or nothing (then the lane does not time them). */
function laneWatcher(log: LaneWatcher | undefined, metrics: LaneWatcher | undefined): LaneWatcher | undefined {
  if (!log || !metrics) return log ?? metrics;
  return (request, route, statusCode, responseTime) => {
    log(request, route, statusCode, responseTime);
    metrics(request, route, statusCode, responseTime);
  };
}

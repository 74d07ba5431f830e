import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ResourceError } from '@gatehouse/resource-server';
import type { Gatehouse } from '../gatehouse.js';
import type { MemoryRoute, ReadLane } from './read-lane.js';
import type { RecordRepository } from './record-repository.js';
import { ApiError, invalidParam, invalidUrlPattern } from './api-error.js';
import { crmMetadataRoutes } from './crm-metadata-routes.js';
import { dataCenterGuard } from './data-center-guard.js';
import { CRM_MODULES, FSM_MODULES } from './modules.js';
import { PageTokens } from './page-token.js';
import { recordRoutes, type RecordMemoryReader } from './record-routes.js';
import { memoryTokenCheck, storageVerifier } from './storage-verifier.js';

/**
 * The sample Zoho-style APIs Gatehouse serves at its `api_domain`: CRM under /crm/v8, FSM under /fsm/v1, protected by
 * the resource-server guard reading Gatehouse's own store (revocation is immediate; see `storage-verifier.ts`).
 */
export function sampleApis(app: FastifyInstance, gatehouse: Gatehouse, records: RecordRepository, lane: ReadLane): void {
  // The read lane sees no trusted host, so it cannot tell the API's DC: with several DCs every read takes the route.
  const addToLane = (...args: Parameters<ReadLane['add']>) => (gatehouse.config.dataCenters.several ? undefined : lane.add(...args));
  // RFC 8707: these APIs are every DC's api_domain; a token restricted to other resources is refused here.
  const audience = { resources: gatehouse.config.dataCenters.all.map((dc) => dc.apiDomain) };
  const deps = {
    records,
    users: gatehouse.storage.users,
    organisations: gatehouse.storage.organisations,
    verify: storageVerifier(gatehouse, audience),
    verifyFromMemory: memoryTokenCheck(gatehouse, audience),
    pageTokens: new PageTokens((text) => gatehouse.hasher.hash(text), gatehouse.now),
    // Proofs name the API's public URL (api_domain), and share the token endpoint's replay cache (Redis across nodes).
    dpop: { origin: new URL(gatehouse.config.apiDomain).origin, proofs: gatehouse.dpop.verifier },
    now: gatehouse.now,
  };
  apiGroup(app, gatehouse, '/crm/v8', (crm, prefix) => {
    crmMetadataRoutes(crm, deps);
    const records = recordRoutes(crm, { product: 'crm', service: 'ZohoCRM', modules: CRM_MODULES, listNeedsFields: true }, deps);
    addToLane(`${prefix}/`, recordByIdPath(records), `${prefix}/:module/:id`);
  });
  apiGroup(app, gatehouse, '/fsm/v1', (fsm, prefix) => {
    const records = recordRoutes(fsm, { product: 'fsm', service: 'ZohoFSM', modules: FSM_MODULES, listNeedsFields: false }, deps);
    addToLane(`${prefix}/`, recordByIdPath(records), `${prefix}/:module/:id`);
  });
}

/**
 * The read lane's share of the record routes: `{module}/{id}` and nothing more. Segments are compared as sent; one
 * that would only match once decoded (or carries a query string) finds nothing here and goes to the route.
 */
function recordByIdPath(read: RecordMemoryReader): MemoryRoute {
  return (rest, authorization) => {
    const slash = rest.indexOf('/');
    if (slash <= 0 || slash === rest.length - 1 || rest.indexOf('/', slash + 1) !== -1) return undefined;
    return read(rest.slice(0, slash), rest.slice(slash + 1), authorization);
  };
}

/** One API under its prefix, with its JSON parser, its error exit and Zoho's answer to unknown paths. */
function apiGroup(
  app: FastifyInstance,
  gatehouse: Gatehouse,
  prefix: string,
  routes: (api: FastifyInstance, prefix: string) => void,
): void {
  app.register(
    async (api) => {
      // Zoho's Node SDK sends `content-length: 0` on GETs; an empty JSON body is no body, not an error.
      const parseJson = (_request: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
        if (body === '') return done(null, undefined);
        try {
          done(null, JSON.parse(body as string));
        } catch {
          done(new ApiError(400, 'INVALID_DATA', 'the request body is not valid JSON', { api_name: 'data' }), undefined);
        }
      };
      api.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
      // Zoho's TypeScript SDK sends its JSON writes (create, update, upsert) with no content type at all, and Zoho reads
      // them as JSON: so is any body here. These APIs take only bearer tokens, never cookies, so no form can forge one.
      api.addContentTypeParser('*', { parseAs: 'string' }, parseJson);
      // Every parameter of these APIs is single-valued (lists are comma separated, `ids=1,2`). A repeated one would
      // reach the routes as an array, where a string is read: refused here, once for all of them.
      // (A loop, not Object.entries: this runs on every API request Fastify serves, and allocates nothing.)
      // Nor can a path part hold a NUL character: no module or record ID has one, and PostgreSQL fails a query given one.
      api.addHook('preHandler', (request, _reply, done) => {
        const query = request.query as Record<string, unknown>;
        for (const name in query) {
          if (Array.isArray(query[name])) return done(invalidParam(name, `the parameter ${name} is given more than once`));
        }
        const params = request.params as Record<string, string>;
        for (const name in params) {
          if (params[name]!.includes('\u0000')) return done(invalidParam(name, `the ${name} given seems to be invalid`));
        }
        done();
      });
      dataCenterGuard(api, gatehouse);
      api.setErrorHandler(apiErrorHandler(new URL(gatehouse.config.issuer).host));
      api.setNotFoundHandler((_request, reply) => reply.code(404).send(invalidUrlPattern().body()));
      routes(api, prefix);
    },
    { prefix },
  );
}

/** The APIs' one error exit: Zoho's envelope for everything, a challenge for token problems, nothing internal leaked. */
function apiErrorHandler(realm: string) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (error instanceof ResourceError)
      return reply.code(error.status).header('www-authenticate', error.challenge(realm, true)).send(error.body());
    if (error instanceof ApiError) return reply.code(error.status).send(error.body());
    if (typeof error.statusCode === 'number' && error.statusCode < 500) {
      return reply.code(400).send(new ApiError(400, 'INVALID_DATA', 'the request could not be read', {}).body());
    }
    request.log.error({ err: error }, 'api request failed');
    return reply.code(500).send(new ApiError(500, 'INTERNAL_ERROR', 'Internal Server Error').body());
  };
}

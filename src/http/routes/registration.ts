import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessTokenOf } from '@gatehouse/resource-server';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { invalidRequest } from '../../core/errors/oauth-error.js';
import {
  authorizeManagement,
  deleteRegistration,
  readRegistration,
  registerDynamically,
  updateRegistration,
  type Caller,
  type RegistrationDeps,
} from '../../core/registration/dynamic-registration.js';
import type { Gatehouse } from '../../gatehouse.js';
import { requestDataCenter } from '../data-center.js';

/**
 * Dynamic client registration (RFC 7591) at /oauth/v2/register and each client's management URI beneath it
 * (RFC 7592), mounted only when `GATEHOUSE_REGISTRATION` is not `off`. JSON bodies, in a plugin of their own so the
 * other OAuth endpoints keep accepting forms only. Errors take the OAuth error exit; credentials are Bearer tokens
 * (RFC 6750), so a refused one carries a Bearer challenge.
 */
export function registrationRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const mode = gatehouse.config.registration;
  if (mode === 'off') return;
  const { storage } = gatehouse;
  const deps: RegistrationDeps = {
    users: storage.users,
    clients: storage.clients,
    registrations: storage.registrations,
    initialAccessTokens: storage.initialAccessTokens,
    hasher: gatehouse.hasher,
    scopes: gatehouse.scopes,
    rateLimiter: gatehouse.rateLimiter,
    audit: gatehouse.audit,
    now: gatehouse.now,
    mode,
  };
  const options = { config: { errorChannel: 'resource' as const } };

  app.register(async (json) => {
    json.removeAllContentTypeParsers();
    json.addContentTypeParser('application/json', { parseAs: 'string' }, json.getDefaultJsonParser('error', 'error'));
    json.addContentTypeParser('*', (_request, _payload, done) =>
      done(invalidRequest('unsupported_content_type', 'Send the client metadata as application/json.')),
    );

    json.post(ENDPOINT_PATHS.register, options, async (request, reply) => {
      const answer = await registerDynamically(request.body, caller(request), deps);
      return reply.code(201).send({
        client_id: answer.client.clientId,
        ...(answer.clientSecret === undefined ? {} : { client_secret: answer.clientSecret, client_secret_expires_at: 0 }),
        client_id_issued_at: Math.floor(answer.client.createdAt / 1000),
        registration_access_token: answer.registrationAccessToken,
        registration_client_uri: managementUri(request, gatehouse, answer.client.clientId),
        ...answer.metadata,
      });
    });

    const managed = `${ENDPOINT_PATHS.register}/:clientId`;
    json.get<{ Params: { clientId: string } }>(managed, options, async (request, reply) => {
      const registration = await authorizeManagement(request.params.clientId, caller(request).bearer, deps);
      return reply.send(described(request, gatehouse, registration.client, readRegistration(registration)));
    });
    json.put<{ Params: { clientId: string } }>(managed, options, async (request, reply) => {
      const registration = await authorizeManagement(request.params.clientId, caller(request).bearer, deps);
      const answer = await updateRegistration(registration, request.body, caller(request), deps);
      return reply.send({
        ...described(request, gatehouse, answer.client, answer.metadata),
        registration_access_token: answer.registrationAccessToken,
      });
    });
    json.delete<{ Params: { clientId: string } }>(managed, options, async (request, reply) => {
      const registration = await authorizeManagement(request.params.clientId, caller(request).bearer, deps);
      await deleteRegistration(registration, caller(request), deps);
      return reply.code(204).send();
    });
  });
}

/**
 * The presented Bearer token: undefined without an Authorization header, '' (which matches nothing) with one of
 * another shape, so both are refused as `invalid_token`.
 */
function caller(request: FastifyRequest): Caller {
  const header = request.headers.authorization;
  return { bearer: accessTokenOf(header) ?? (header === undefined ? undefined : ''), address: request.ip };
}

/** RFC 7592 §3: a read or update answers the client's identity, metadata and management URI (never the secret). */
function described(
  request: FastifyRequest,
  gatehouse: Gatehouse,
  client: { clientId: string; createdAt: number },
  metadata: Record<string, unknown>,
) {
  return {
    client_id: client.clientId,
    client_id_issued_at: Math.floor(client.createdAt / 1000),
    registration_client_uri: managementUri(request, gatehouse, client.clientId),
    ...metadata,
  };
}

/** The management URI at the issuer the request came to (each DC's accounts server is an issuer of its own). */
function managementUri(request: FastifyRequest, gatehouse: Gatehouse, clientId: string): string {
  const { issuer } = requestDataCenter(request, gatehouse.config.dataCenters);
  return `${issuer}${ENDPOINT_PATHS.register}/${encodeURIComponent(clientId)}`;
}

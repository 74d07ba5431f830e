import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientView } from '../../core/clients/client-view.js';
import { parseClientType } from '../../core/clients/register-client.js';
import { ManagementError } from '../../core/errors/management-error.js';
import type { ApiRouteDeps } from './api-routes.js';
import { booleanField, listField, stringField, type Body } from './body-fields.js';

/** `/api/v1/clients…`: a user's own clients (an administrator's: anyone's), their grants, secrets and Self Client codes. */
export function clientRoutes(api: FastifyInstance, { developerConsole, signedIn }: ApiRouteDeps): void {
  /** The client a `/clients/:clientId/…` route names, if the caller may manage it, and who the caller is. */
  const managedClient = async (request: FastifyRequest<{ Params: { clientId: string } }>) => {
    const { user, by } = await signedIn(request);
    return { client: await developerConsole.client(user, request.params.clientId), by };
  };

  api.get<{ Querystring: { all?: string } }>('/clients', async (request) => {
    const { user } = await signedIn(request);
    const clients = await developerConsole.listClients(user, { all: request.query.all === 'true' });
    return { clients: clients.map(clientView) };
  });

  api.post<{ Body: Body | undefined }>('/clients', async (request, reply) => {
    const { user, by } = await signedIn(request);
    const body = request.body ?? {};
    const fields = {
      name: stringField(body, 'name'),
      homepage: stringField(body, 'homepage'),
      redirectUris: listField(body, 'redirect_uris'),
      jsDomains: listField(body, 'js_domains'),
      ...logoutFields(body),
      dpopBoundAccessTokens: booleanField(body, 'dpop_bound_access_tokens'),
      ...keyFields(body),
      accessTokenFormat: stringField(body, 'access_token_format'),
      ...signingFields(body),
      requirePushedAuthorizationRequests: booleanField(body, 'require_pushed_authorization_requests'),
    };
    const { client, clientSecret } = await developerConsole.register(user, parseClientType(stringField(body, 'type') ?? ''), fields, by);
    return reply.code(201).send({ client: clientView(client), ...(clientSecret ? { client_secret: clientSecret } : {}) });
  });

  api.get<{ Params: { clientId: string } }>('/clients/:clientId', async (request) => {
    return { client: clientView((await managedClient(request)).client) };
  });

  api.patch<{ Params: { clientId: string }; Body: Body | undefined }>('/clients/:clientId', async (request) => {
    const { client, by } = await managedClient(request);
    const body = request.body ?? {};
    const changes = {
      name: stringField(body, 'name'),
      homepage: stringField(body, 'homepage'),
      redirectUris: body.redirect_uris === undefined ? undefined : listField(body, 'redirect_uris'),
      jsDomains: body.js_domains === undefined ? undefined : listField(body, 'js_domains'),
      ...logoutFields(body),
      dpopBoundAccessTokens: booleanField(body, 'dpop_bound_access_tokens'),
      ...keyFields(body),
      accessTokenFormat: stringField(body, 'access_token_format'),
      ...signingFields(body),
      requirePushedAuthorizationRequests: booleanField(body, 'require_pushed_authorization_requests'),
    };
    return { client: clientView(await developerConsole.update(client, changes, by)) };
  });

  // Settings → Multi-DC (spec §1.2): the whole list of DCs besides the home one, e.g. {"other_dcs":["eu","in"]}.
  api.put<{ Params: { clientId: string }; Body: Body | undefined }>('/clients/:clientId/data-centers', async (request) => {
    const { client, by } = await managedClient(request);
    const otherDcs = listField(request.body ?? {}, 'other_dcs');
    return { client: clientView(await developerConsole.setDataCenters(client, otherDcs, by)) };
  });

  api.delete<{ Params: { clientId: string } }>('/clients/:clientId', async (request, reply) => {
    const { client, by } = await managedClient(request);
    await developerConsole.delete(client, by);
    return reply.code(204).send();
  });

  api.get<{ Params: { clientId: string } }>('/clients/:clientId/grants', async (request) => {
    const grants = await developerConsole.grants((await managedClient(request)).client);
    return {
      grants: grants.map((g) => ({
        user: { zuid: g.userZuid, email: g.email, name: g.name },
        scopes: g.scopes,
        first_granted_at: new Date(g.firstGrantedAt).toISOString(),
        last_granted_at: new Date(g.lastGrantedAt).toISOString(),
      })),
    };
  });

  api.delete<{ Params: { clientId: string; zuid: string } }>('/clients/:clientId/grants/:zuid', async (request, reply) => {
    const { client, by } = await managedClient(request);
    await developerConsole.revokeGrant(client, request.params.zuid, by);
    return reply.code(204).send();
  });

  api.post<{ Params: { clientId: string } }>('/clients/:clientId/secret', async (request) => {
    const { client: managed, by } = await managedClient(request);
    const { client, clientSecret } = await developerConsole.rotateSecret(managed, by);
    return { client_id: client.clientId, client_secret: clientSecret };
  });

  api.post<{ Params: { clientId: string }; Body: Body | undefined }>('/clients/:clientId/codes', async (request, reply) => {
    const { client, by } = await managedClient(request);
    const body = request.body ?? {};
    const duration = body.duration;
    if (duration !== undefined && typeof duration !== 'number')
      throw new ManagementError('self_client.duration_invalid', 'duration is a number of minutes, 3 to 10.', 400, 'duration');
    const description = stringField(body, 'description');
    const input = {
      scope: stringField(body, 'scope') ?? '',
      ...(duration !== undefined ? { durationMinutes: duration } : {}),
      ...(description !== undefined ? { description } : {}),
    };
    return reply.code(201).send(await developerConsole.generateCode(client, input, by));
  });
}

/** The OpenID Connect logout fields of a client's JSON; one left out keeps its value on PATCH (`""` clears the URI). */
function logoutFields(body: Body) {
  return {
    postLogoutRedirectUris: body.post_logout_redirect_uris === undefined ? undefined : listField(body, 'post_logout_redirect_uris'),
    backchannelLogoutUri: stringField(body, 'backchannel_logout_uri'),
    backchannelLogoutSessionRequired: booleanField(body, 'backchannel_logout_session_required'),
  };
}

/**
 * How the client authenticates and its public keys (RFC 7591 §2); one left out keeps its value on PATCH. `jwks` is
 * the JWK Set object itself (or its JSON text); `null` or `""` removes it, as `""` removes `jwks_uri`.
 */
function keyFields(body: Body) {
  return {
    tokenEndpointAuthMethod: stringField(body, 'token_endpoint_auth_method'),
    jwks: body.jwks === null ? '' : body.jwks,
    jwksUri: stringField(body, 'jwks_uri'),
    requireSignedRequestObject: booleanField(body, 'require_signed_request_object'),
  };
}

/** OpenID Connect Dynamic Client Registration's names; an empty `userinfo_signed_response_alg` means plain JSON again. */
function signingFields(body: Body) {
  return {
    idTokenSignedResponseAlg: stringField(body, 'id_token_signed_response_alg'),
    userinfoSignedResponseAlg: stringField(body, 'userinfo_signed_response_alg'),
  };
}

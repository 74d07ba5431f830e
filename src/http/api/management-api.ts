import cookie from '@fastify/cookie';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Client } from '../../core/clients/client.js';
import { clientView } from '../../core/clients/client-view.js';
import { parseClientType, registerClient, rotateClientSecret, updateClient } from '../../core/clients/register-client.js';
import { ManagementError } from '../../core/errors/management-error.js';
import { generateSelfClientCode } from '../../core/self-client/generate-code.js';
import type { User } from '../../core/users/user.js';
import type { Gatehouse } from '../../gatehouse.js';
import { browserContext } from '../browser/browser-context.js';

/**
 * The developer console's JSON API (`/api/v1`), shared by the console pages and scripts. Signed-in users manage their
 * own clients; state-changing calls carry the `X-CSRF-Token` header the pages embed. Errors are management errors
 * (`{"code":"client.redirect_uri_invalid","message":…,"field":…}`), never OAuth ones, and validation is the same code
 * the CLI uses.
 */
export function managementApi(app: FastifyInstance, gatehouse: Gatehouse): void {
  app.register(
    async (api) => {
      api.register(cookie);
      const context = browserContext(gatehouse);
      api.setErrorHandler(managementErrorHandler);
      api.setNotFoundHandler((_request, reply) => reply.code(404).send({ code: 'route.not_found', message: 'No such API route.' }));
      api.addHook('onRequest', async (_request, reply) => {
        reply.headers({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      });

      const signedIn = async (request: FastifyRequest): Promise<User> => {
        const user = await context.currentUser(request);
        if (!user) throw new ManagementError('auth.required', 'Sign in first.', 401);
        if (request.method !== 'GET' && !context.csrf.valid(request, header(request, 'x-csrf-token'))) {
          throw new ManagementError('auth.csrf_failed', 'Send the X-CSRF-Token header from the console page.', 403);
        }
        return user;
      };
      /** A client of the signed-in user; anyone else's is reported as not existing at all. */
      const ownClient = async (user: User, clientId: string): Promise<Client> => {
        const client = await gatehouse.storage.clients.find(clientId);
        if (!client || (client.ownerZuid !== user.zuid && !user.isAdmin))
          throw new ManagementError('client.not_found', 'No client has this client ID.', 404, 'client_id');
        return client;
      };
      const management = {
        users: gatehouse.storage.users,
        clients: gatehouse.storage.clients,
        hasher: gatehouse.hasher,
        now: gatehouse.now,
      };

      api.get<{ Querystring: { all?: string } }>('/clients', async (request) => {
        const user = await signedIn(request);
        // An admin additionally sees every user's clients.
        const clients =
          request.query.all === 'true'
            ? await adminOnly(user, () => gatehouse.storage.clients.listAll())
            : await gatehouse.storage.clients.listByOwner(user.zuid);
        return { clients: clients.map(clientView) };
      });

      api.get('/users', async (request) => {
        const user = await signedIn(request);
        const users = await adminOnly(user, () => gatehouse.storage.users.list());
        return {
          users: users.map((u) => ({
            zuid: u.zuid,
            email: u.email,
            first_name: u.firstName,
            last_name: u.lastName,
            is_admin: u.isAdmin,
            created_at: new Date(u.createdAt).toISOString(),
          })),
        };
      });

      api.post<{ Body: Record<string, unknown> | undefined }>('/clients', async (request, reply) => {
        const user = await signedIn(request);
        const body = request.body ?? {};
        const { client, clientSecret } = await registerClient(
          {
            ownerZuid: user.zuid,
            type: parseClientType(stringField(body, 'type') ?? ''),
            name: stringField(body, 'name'),
            homepage: stringField(body, 'homepage'),
            redirectUris: listField(body, 'redirect_uris'),
            jsDomains: listField(body, 'js_domains'),
          },
          management,
        );
        return reply.code(201).send({ client: clientView(client), ...(clientSecret ? { client_secret: clientSecret } : {}) });
      });

      api.get<{ Params: { clientId: string } }>('/clients/:clientId', async (request) => {
        const user = await signedIn(request);
        return { client: clientView(await ownClient(user, request.params.clientId)) };
      });

      api.patch<{ Params: { clientId: string }; Body: Record<string, unknown> | undefined }>('/clients/:clientId', async (request) => {
        const user = await signedIn(request);
        const client = await ownClient(user, request.params.clientId);
        const body = request.body ?? {};
        const updated = await updateClient(
          client,
          {
            name: stringField(body, 'name'),
            homepage: stringField(body, 'homepage'),
            redirectUris: body.redirect_uris === undefined ? undefined : listField(body, 'redirect_uris'),
            jsDomains: body.js_domains === undefined ? undefined : listField(body, 'js_domains'),
          },
          management,
        );
        return { client: clientView(updated) };
      });

      api.delete<{ Params: { clientId: string } }>('/clients/:clientId', async (request, reply) => {
        const user = await signedIn(request);
        const client = await ownClient(user, request.params.clientId);
        // The store's cascade revokes everything the client holds: codes, tokens, consents.
        await gatehouse.storage.clients.delete(client.clientId);
        return reply.code(204).send();
      });

      api.get<{ Params: { clientId: string } }>('/clients/:clientId/grants', async (request) => {
        const user = await signedIn(request);
        const client = await ownClient(user, request.params.clientId);
        const grants = [];
        for (const consent of await gatehouse.storage.consents.listForClient(client.clientId)) {
          const grantor = await gatehouse.storage.users.findByZuid(consent.userZuid);
          grants.push({
            user: { zuid: consent.userZuid, email: grantor?.email ?? null, name: grantor?.displayName ?? null },
            scopes: consent.scopes.split(' '),
            first_granted_at: new Date(consent.firstGrantedAt).toISOString(),
            last_granted_at: new Date(consent.lastGrantedAt).toISOString(),
          });
        }
        return { grants };
      });

      api.delete<{ Params: { clientId: string; zuid: string } }>('/clients/:clientId/grants/:zuid', async (request, reply) => {
        const user = await signedIn(request);
        const client = await ownClient(user, request.params.clientId);
        const revoked = await gatehouse.storage.transaction(async (tx) => {
          const tokens = await tx.tokens.revokeGrant(request.params.zuid, client.clientId);
          return (await tx.consents.revoke(request.params.zuid, client.clientId)) || tokens > 0;
        });
        if (!revoked) throw new ManagementError('grant.not_found', 'This user has not granted this client anything.', 404, 'zuid');
        return reply.code(204).send();
      });

      api.post<{ Params: { clientId: string } }>('/clients/:clientId/secret', async (request) => {
        const user = await signedIn(request);
        const client = await ownClient(user, request.params.clientId);
        const rotated = await rotateClientSecret(client.clientId, management);
        return { client_id: client.clientId, client_secret: rotated.clientSecret };
      });

      api.post<{ Params: { clientId: string }; Body: Record<string, unknown> | undefined }>(
        '/clients/:clientId/codes',
        async (request, reply) => {
          const user = await signedIn(request);
          const client = await ownClient(user, request.params.clientId);
          const body = request.body ?? {};
          const duration = body.duration;
          if (duration !== undefined && typeof duration !== 'number')
            throw new ManagementError('self_client.duration_invalid', 'duration is a number of minutes, 3 to 10.', 400, 'duration');
          const description = stringField(body, 'description');
          const code = await generateSelfClientCode(
            {
              clientId: client.clientId,
              scope: stringField(body, 'scope') ?? '',
              ...(duration !== undefined ? { durationMinutes: duration } : {}),
              ...(description !== undefined ? { description } : {}),
            },
            { ...gatehouse, clients: gatehouse.storage.clients, codes: gatehouse.storage.codes },
          );
          return reply.code(201).send(code);
        },
      );
    },
    { prefix: '/api/v1' },
  );
}

async function adminOnly<T>(user: User, read: () => Promise<T>): Promise<T> {
  if (!user.isAdmin) throw new ManagementError('auth.admin_required', 'Only administrators see every user and client.', 403);
  return read();
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ManagementError('request.invalid', `${name} must be a string.`, 400, name);
  return value;
}

function listField(body: Record<string, unknown>, name: string): string[] {
  const value = body[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new ManagementError('request.invalid', `${name} must be a list of strings.`, 400, name);
  return value as string[];
}

/** The API's one error exit: management errors as they are, request errors as `request.invalid`, the rest hidden. */
function managementErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ManagementError) return reply.code(error.status).send(error.toJSON());
  if (typeof error.statusCode === 'number' && error.statusCode < 500) {
    return reply.code(400).send({ code: 'request.invalid', message: 'The request could not be read (send JSON).' });
  }
  request.log.error({ err: error }, 'management API failed');
  return reply.code(500).send({ code: 'internal', message: 'The server could not complete the request.' });
}

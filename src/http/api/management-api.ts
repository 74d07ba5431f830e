import cookie from '@fastify/cookie';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiTokenUser } from '../../core/api-tokens/api-tokens.js';
import { clientView } from '../../core/clients/client-view.js';
import { parseClientType } from '../../core/clients/register-client.js';
import { DeveloperConsole } from '../../core/console/developer-console.js';
import { ManagementError } from '../../core/errors/management-error.js';
import type { User } from '../../core/users/user.js';
import { userView } from '../../core/users/user-view.js';
import type { Gatehouse } from '../../gatehouse.js';
import { browserContext } from '../browser/browser-context.js';
import { refuseNulInPathParameters } from '../path-params.js';
import { userFactorsApi } from './user-factors-api.js';

/**
 * The developer console's JSON API (`/api/v1`), shared by the console pages and scripts. Signed-in users manage their
 * own clients; state-changing calls carry the `X-CSRF-Token` header the pages embed. Scripts use an administrator's
 * API token instead (`gatehouse api-token create`). Errors are management errors
 * (`{"code":"client.redirect_uri_invalid","message":…,"field":…}`), never OAuth ones, and validation is the same code
 * the CLI uses.
 */
export function managementApi(app: FastifyInstance, gatehouse: Gatehouse): void {
  app.register(
    async (api) => {
      api.register(cookie);
      const context = browserContext(gatehouse);
      const developerConsole = new DeveloperConsole(gatehouse);
      api.setErrorHandler(managementErrorHandler);
      refuseNulInPathParameters(api);
      api.setNotFoundHandler((_request, reply) => reply.code(404).send({ code: 'route.not_found', message: 'No such API route.' }));
      api.addHook('onRequest', async (_request, reply) => {
        reply.headers({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      });

      const tokenDeps = { users: gatehouse.storage.users, apiTokens: gatehouse.storage.apiTokens, hasher: gatehouse.hasher };
      /**
       * The caller: an administrator's API token (`Authorization: Bearer ghat_…`), or the browser session. Only the
       * session needs the CSRF header: a browser attaches cookies to forged requests by itself, never this header.
       */
      const signedIn = async (request: FastifyRequest): Promise<User> => {
        const authorization = header(request, 'authorization');
        if (authorization !== undefined) {
          const bearer = /^Bearer +(\S+)$/i.exec(authorization);
          const admin = bearer ? await apiTokenUser(bearer[1]!, tokenDeps) : undefined;
          if (!admin)
            throw new ManagementError(
              'auth.token_invalid',
              'The API token is not valid: unknown, revoked, or not an administrator’s.',
              401,
            );
          return admin;
        }
        const user = await context.currentUser(request);
        if (!user) throw new ManagementError('auth.required', 'Sign in first.', 401);
        if (request.method !== 'GET' && !context.csrf.valid(request, header(request, 'x-csrf-token'))) {
          throw new ManagementError('auth.csrf_failed', 'Send the X-CSRF-Token header from the console page.', 403);
        }
        return user;
      };

      /** The client a `/clients/:clientId/…` route names, if the caller may manage it. */
      const managedClient = async (request: FastifyRequest<{ Params: { clientId: string } }>) =>
        developerConsole.client(await signedIn(request), request.params.clientId);

      api.get<{ Querystring: { all?: string } }>('/clients', async (request) => {
        const user = await signedIn(request);
        const clients = await developerConsole.listClients(user, { all: request.query.all === 'true' });
        return { clients: clients.map(clientView) };
      });

      /** The user a `/users/:zuid/…` route names; administrators only. */
      const managedUser = async (request: FastifyRequest<{ Params: { zuid: string } }>) => {
        const admin = await signedIn(request);
        return { admin, user: await developerConsole.user(admin, request.params.zuid) };
      };

      api.get('/users', async (request) => {
        const users = await developerConsole.listUsers(await signedIn(request));
        return { users: users.map(userView) };
      });

      api.post<{ Body: Record<string, unknown> | undefined }>('/users', async (request, reply) => {
        const admin = await signedIn(request);
        const body = request.body ?? {};
        const { user, generatedPassword } = await developerConsole.createUser(admin, {
          email: stringField(body, 'email') ?? '',
          firstName: stringField(body, 'first_name') ?? '',
          lastName: stringField(body, 'last_name') ?? '',
          password: stringField(body, 'password'),
          isAdmin: booleanField(body, 'is_admin') ?? false,
        });
        return reply.code(201).send({ user: userView(user), ...(generatedPassword ? { password: generatedPassword } : {}) });
      });

      api.get<{ Params: { zuid: string } }>('/users/:zuid', async (request) => {
        return { user: userView((await managedUser(request)).user) };
      });

      // Only the role is edited in place; disabling and resetting are actions with consequences, so they are POSTs.
      api.patch<{ Params: { zuid: string }; Body: Record<string, unknown> | undefined }>('/users/:zuid', async (request) => {
        const { admin, user } = await managedUser(request);
        const isAdmin = booleanField(request.body ?? {}, 'is_admin');
        if (isAdmin === undefined) throw new ManagementError('request.invalid', 'Send is_admin: true or false.', 400, 'is_admin');
        return { user: userView(await developerConsole.setAdministrator(admin, user, isAdmin)) };
      });

      api.post<{ Params: { zuid: string } }>('/users/:zuid/disable', async (request) => {
        const { admin, user } = await managedUser(request);
        return { user: userView(await developerConsole.disableUser(admin, user)) };
      });

      api.post<{ Params: { zuid: string } }>('/users/:zuid/enable', async (request) => {
        const { admin, user } = await managedUser(request);
        return { user: userView(await developerConsole.enableUser(admin, user)) };
      });

      api.post<{ Params: { zuid: string } }>('/users/:zuid/reset-password', async (request) => {
        const { admin, user } = await managedUser(request);
        const reset = await developerConsole.resetPassword(admin, user);
        return { user: userView(reset.user), password: reset.password };
      });

      userFactorsApi(api, developerConsole, managedUser);

      api.post<{ Body: Record<string, unknown> | undefined }>('/clients', async (request, reply) => {
        const user = await signedIn(request);
        const body = request.body ?? {};
        const { client, clientSecret } = await developerConsole.register(user, parseClientType(stringField(body, 'type') ?? ''), {
          name: stringField(body, 'name'),
          homepage: stringField(body, 'homepage'),
          redirectUris: listField(body, 'redirect_uris'),
          jsDomains: listField(body, 'js_domains'),
        });
        return reply.code(201).send({ client: clientView(client), ...(clientSecret ? { client_secret: clientSecret } : {}) });
      });

      api.get<{ Params: { clientId: string } }>('/clients/:clientId', async (request) => {
        return { client: clientView(await managedClient(request)) };
      });

      api.patch<{ Params: { clientId: string }; Body: Record<string, unknown> | undefined }>('/clients/:clientId', async (request) => {
        const client = await managedClient(request);
        const body = request.body ?? {};
        const updated = await developerConsole.update(client, {
          name: stringField(body, 'name'),
          homepage: stringField(body, 'homepage'),
          redirectUris: body.redirect_uris === undefined ? undefined : listField(body, 'redirect_uris'),
          jsDomains: body.js_domains === undefined ? undefined : listField(body, 'js_domains'),
        });
        return { client: clientView(updated) };
      });

      api.delete<{ Params: { clientId: string } }>('/clients/:clientId', async (request, reply) => {
        await developerConsole.delete(await managedClient(request));
        return reply.code(204).send();
      });

      api.get<{ Params: { clientId: string } }>('/clients/:clientId/grants', async (request) => {
        const grants = await developerConsole.grants(await managedClient(request));
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
        await developerConsole.revokeGrant(await managedClient(request), request.params.zuid);
        return reply.code(204).send();
      });

      api.post<{ Params: { clientId: string } }>('/clients/:clientId/secret', async (request) => {
        const { client, clientSecret } = await developerConsole.rotateSecret(await managedClient(request));
        return { client_id: client.clientId, client_secret: clientSecret };
      });

      api.post<{ Params: { clientId: string }; Body: Record<string, unknown> | undefined }>(
        '/clients/:clientId/codes',
        async (request, reply) => {
          const client = await managedClient(request);
          const body = request.body ?? {};
          const duration = body.duration;
          if (duration !== undefined && typeof duration !== 'number')
            throw new ManagementError('self_client.duration_invalid', 'duration is a number of minutes, 3 to 10.', 400, 'duration');
          const description = stringField(body, 'description');
          const code = await developerConsole.generateCode(client, {
            scope: stringField(body, 'scope') ?? '',
            ...(duration !== undefined ? { durationMinutes: duration } : {}),
            ...(description !== undefined ? { description } : {}),
          });
          return reply.code(201).send(code);
        },
      );
    },
    { prefix: '/api/v1' },
  );
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ManagementError('request.invalid', `${name} must be a string.`, 400, name);
  refuseNul(name, value);
  return value;
}

function booleanField(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ManagementError('request.invalid', `${name} must be true or false.`, 400, name);
  return value;
}

function listField(body: Record<string, unknown>, name: string): string[] {
  const value = body[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new ManagementError('request.invalid', `${name} must be a list of strings.`, 400, name);
  for (const item of value as string[]) refuseNul(name, item);
  return value as string[];
}

/** No field has a use for a NUL character, and PostgreSQL cannot store one in text. */
function refuseNul(name: string, value: string): void {
  if (value.includes('\u0000')) throw new ManagementError('request.invalid', `${name} must not contain a NUL character.`, 400, name);
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

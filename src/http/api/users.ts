import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ManagementError } from '../../core/errors/management-error.js';
import { userView } from '../../core/users/user-view.js';
import type { ApiRouteDeps } from './api-routes.js';
import { booleanField, stringField, type Body } from './body-fields.js';
import { userFactorsApi } from './user-factors-api.js';

/** `/api/v1/users…`: administrators manage accounts. */
export function userRoutes(api: FastifyInstance, { developerConsole, signedIn }: ApiRouteDeps): void {
  /** The user a `/users/:zuid/…` route names; administrators only. */
  const managedUser = async (request: FastifyRequest<{ Params: { zuid: string } }>) => {
    const { user: admin, by } = await signedIn(request);
    return { admin, by, user: await developerConsole.user(admin, request.params.zuid) };
  };

  api.get('/users', async (request) => {
    const users = await developerConsole.listUsers((await signedIn(request)).user);
    return { users: users.map(userView) };
  });

  api.post<{ Body: Body | undefined }>('/users', async (request, reply) => {
    const { user: admin, by } = await signedIn(request);
    const body = request.body ?? {};
    const input = {
      email: stringField(body, 'email') ?? '',
      firstName: stringField(body, 'first_name') ?? '',
      lastName: stringField(body, 'last_name') ?? '',
      password: stringField(body, 'password'),
      isAdmin: booleanField(body, 'is_admin') ?? false,
      dc: stringField(body, 'dc'),
    };
    const { user, generatedPassword } = await developerConsole.createUser(admin, input, by);
    return reply.code(201).send({ user: userView(user), ...(generatedPassword ? { password: generatedPassword } : {}) });
  });

  api.get<{ Params: { zuid: string } }>('/users/:zuid', async (request) => {
    return { user: userView((await managedUser(request)).user) };
  });

  // Only the role is edited in place; disabling and resetting are actions with consequences, so they are POSTs.
  api.patch<{ Params: { zuid: string }; Body: Body | undefined }>('/users/:zuid', async (request) => {
    const { admin, by, user } = await managedUser(request);
    const isAdmin = booleanField(request.body ?? {}, 'is_admin');
    if (isAdmin === undefined) throw new ManagementError('request.invalid', 'Send is_admin: true or false.', 400, 'is_admin');
    return { user: userView(await developerConsole.setAdministrator(admin, user, isAdmin, by)) };
  });

  api.post<{ Params: { zuid: string } }>('/users/:zuid/disable', async (request) => {
    const { admin, by, user } = await managedUser(request);
    return { user: userView(await developerConsole.disableUser(admin, user, by)) };
  });

  api.post<{ Params: { zuid: string } }>('/users/:zuid/enable', async (request) => {
    const { admin, by, user } = await managedUser(request);
    return { user: userView(await developerConsole.enableUser(admin, user, by)) };
  });

  api.post<{ Params: { zuid: string } }>('/users/:zuid/reset-password', async (request) => {
    const { admin, by, user } = await managedUser(request);
    const reset = await developerConsole.resetPassword(admin, user, by);
    return { user: userView(reset.user), password: reset.password };
  });

  userFactorsApi(api, developerConsole, managedUser);
}

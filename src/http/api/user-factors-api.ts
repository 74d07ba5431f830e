import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DeveloperConsole } from '../../core/console/developer-console.js';
import { factorStatus } from '../../core/mfa/manage-factors.js';
import type { AuditContext } from '../../core/audit/audit-log.js';
import type { User } from '../../core/users/user.js';

type UserRequest = FastifyRequest<{ Params: { zuid: string } }>;

/**
 * `/api/v1/users/:zuid/mfa`: an administrator sees which second factors a user has, and removes them all for a user who
 * lost them (`…/mfa/reset`, which also ends the user's sessions). `managedUser` is the API's administrator check.
 */
export function userFactorsApi(
  api: FastifyInstance,
  developerConsole: DeveloperConsole,
  managedUser: (request: UserRequest) => Promise<{ admin: User; by: AuditContext; user: User }>,
): void {
  api.get<{ Params: { zuid: string } }>('/users/:zuid/mfa', async (request) => {
    const { admin, user } = await managedUser(request);
    return factorStatus(await developerConsole.factors(admin, user));
  });

  api.post<{ Params: { zuid: string } }>('/users/:zuid/mfa/reset', async (request) => {
    const { admin, by, user } = await managedUser(request);
    return factorStatus(await developerConsole.resetFactors(admin, user, by));
  });
}

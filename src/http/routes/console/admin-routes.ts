import type { FastifyInstance } from 'fastify';
import { clientsListPage } from '../../../ui/pages/console/clients-list.js';
import { usersPage } from '../../../ui/pages/console/users.js';
import type { ConsoleRoutesContext } from './console-request.js';

/** What administrators see in addition: every user, and every user's clients. */
export function adminRoutes(app: FastifyInstance, context: ConsoleRoutesContext): void {
  const { console: developerConsole } = context;

  app.get('/developer-console/admin/clients', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    const clients = await developerConsole.listClients(frame.account, { all: true });
    const users = await developerConsole.listUsers(frame.account);
    const owners = new Map(users.map((u) => [u.zuid, u.email]));
    return context.html(reply, clientsListPage({ ...frame, clients, owners }));
  });

  app.get('/developer-console/admin/users', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    const users = await developerConsole.listUsers(frame.account);
    const clientCounts = new Map<string, number>();
    for (const client of await developerConsole.listClients(frame.account, { all: true })) {
      clientCounts.set(client.ownerZuid, (clientCounts.get(client.ownerZuid) ?? 0) + 1);
    }
    return context.html(reply, usersPage({ ...frame, users, clientCounts }));
  });
}

import { ManagementError } from '../../core/errors/management-error.js';
import { requireOption, type Command } from '../command.js';
import { withGatehouse } from '../context.js';
import { clientView } from '../../core/clients/client-view.js';

export const clientListCommand: Command = {
  words: ['client', 'list'],
  summary: "List a user's clients.",
  options: { owner: { type: 'string', description: 'Email of the owning user', required: true } },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const owner = await gatehouse.storage.users.findByEmail(requireOption(values, 'owner'));
      if (!owner) throw new ManagementError('client.owner_not_found', 'No user has this email address.', 404, 'owner');
      const clients = await gatehouse.storage.clients.listByOwner(owner.zuid);
      const lines = clients.map((c) => `${c.clientId}  ${c.type.padEnd(6)}  ${new Date(c.createdAt).toISOString()}  ${c.name}`);
      return {
        json: { clients: clients.map(clientView) },
        text: lines.length > 0 ? lines.join('\n') : `${owner.email} has no clients.`,
      };
    });
  },
};

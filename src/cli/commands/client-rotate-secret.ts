import { aboutClient, CLI_CONTEXT } from '../../core/audit/audit-log.js';
import { findClient, rotateClientSecret } from '../../core/clients/register-client.js';
import { requireOption, type Command } from '../command.js';
import { withGatehouse } from '../context.js';

export const clientRotateSecretCommand: Command = {
  words: ['client', 'rotate-secret'],
  summary: "Replace a client's secret; the old one stops working at once.",
  options: { 'client-id': { type: 'string', description: 'The client ID', required: true } },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const client = await findClient(requireOption(values, 'client-id'), gatehouse.storage.clients);
      const { clientSecret } = await rotateClientSecret(client, {
        users: gatehouse.storage.users,
        clients: gatehouse.storage.clients,
        hasher: gatehouse.hasher,
        clientSecretSeal: gatehouse.clientSecretSeal,
        now: gatehouse.now,
      });
      await gatehouse.audit.record(CLI_CONTEXT, aboutClient('client.secret.rotated', client));
      return {
        json: { client_id: client.clientId, client_secret: clientSecret },
        text: `New client_secret for ${client.clientId}: ${clientSecret}   (shown once; the old one no longer works)`,
      };
    });
  },
};

import { CLI_CONTEXT } from '../../core/audit/audit-log.js';
import { dataCentersChanged, setClientDataCenters } from '../../core/clients/client-data-centers.js';
import { clientView } from '../../core/clients/client-view.js';
import { findClient } from '../../core/clients/register-client.js';
import { requireOption, stringOption, type Command } from '../command.js';
import { withGatehouse } from '../context.js';

export const clientDataCentersCommand: Command = {
  words: ['client', 'data-centers'],
  summary: "Set the data centres besides its home where a client may be used (its Multi-DC settings); --dc '' for home only.",
  options: {
    'client-id': { type: 'string', description: 'The client ID', required: true },
    dc: { type: 'string', description: 'Comma-separated locations of GATEHOUSE_DATACENTERS, e.g. eu,in', required: true },
  },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const client = await findClient(requireOption(values, 'client-id'), gatehouse.storage.clients);
      const otherDcs = (stringOption(values, 'dc') ?? '')
        .split(',')
        .map((dc) => dc.trim())
        .filter((dc) => dc !== '');
      const { storage, now, config } = gatehouse;
      const updated = await setClientDataCenters(client, otherDcs, { clients: storage.clients, now, dataCenters: config.dataCenters });
      await gatehouse.audit.record(CLI_CONTEXT, dataCentersChanged(updated));
      const others = updated.otherDcs ?? [];
      return {
        json: clientView(updated),
        text: `${client.clientId} may be used in its home data centre${others.length > 0 ? ` and in ${others.join(', ')}` : ' only'}.`,
      };
    });
  },
};

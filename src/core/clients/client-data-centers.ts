import { aboutClient, type AuditEntry } from '../audit/audit-log.js';
import type { DataCenters } from '../datacenters/data-centers.js';
import { ManagementError } from '../errors/management-error.js';
import type { ClientRepository } from './client-repository.js';
import type { Client } from './client.js';

/**
 * The client's Settings → Multi-DC (spec §1.2): the DCs besides its home where it may be used. Its client_id and its
 * one secret serve in all of them ("use the same OAuth credentials for all data centers"); Gatehouse has no per-DC
 * secrets, since its DCs share one store and one operator, so a second secret would guard nothing a first does not.
 * Replaces the whole list; every DC must be one of this deployment's, other than the home DC.
 */
export async function setClientDataCenters(
  client: Client,
  otherDcs: readonly string[],
  deps: { clients: ClientRepository; now: () => number; dataCenters: DataCenters },
): Promise<Client> {
  const { dataCenters } = deps;
  const home = dataCenters.of(client.homeDc ?? null)?.location;
  const unknown = otherDcs.filter((dc) => !dataCenters.byLocation(dc));
  if (unknown.length > 0) {
    throw new ManagementError(
      'client.dc_unknown',
      `Unknown data centre ${unknown.join(', ')}; this deployment has ${dataCenters.locations().join(', ')}.`,
      400,
      'other_dcs',
    );
  }
  // Kept in the configuration's order, once each, and without the home DC (which is always enabled).
  const chosen = dataCenters.locations().filter((dc) => dc !== home && otherDcs.includes(dc));
  const now = deps.now();
  if (!(await deps.clients.updateOtherDataCenters(client.clientId, chosen, now))) {
    throw new ManagementError('client.not_found', 'No client has this client ID.', 404, 'client_id');
  }
  return { ...client, otherDcs: chosen, updatedAt: now };
}

/** The audit entry of a Multi-DC change: the client's new list (no secret is involved). */
export function dataCentersChanged(client: Client): AuditEntry {
  const others = client.otherDcs ?? [];
  return { ...aboutClient('client.updated', client), detail: `data centres besides home: ${others.join(', ') || 'none'}` };
}

import { clientDataCenters, type Client } from '../clients/client.js';
import { invalidClient } from '../errors/oauth-error.js';
import type { DataCenter, DataCenters } from './data-centers.js';

/**
 * The token endpoint's DC rules (spec §9). Both answer Zoho's documented error for a wrong accounts server,
 * `invalid_client`. With one DC neither does any work.
 */

/** The client must be enabled in the DC whose accounts server was called (its home DC, or one its settings add). */
export function checkClientInDataCenter(client: Client, at: DataCenter, dcs: DataCenters): void {
  if (!dcs.several) return;
  if (!clientDataCenters(client).some((dc) => dcs.same(dc, at.location))) {
    throw invalidClient('client_not_in_data_center', `This client is not enabled in the ${at.location} data centre.`);
  }
}

/**
 * A code, refresh token or token request acts for a user, and belongs at that user's DC's accounts server (the
 * `accounts-server` of the authorization redirect): anywhere else it is refused, and nothing changes.
 */
export function checkBelongsHere(dc: string | null, at: DataCenter, dcs: DataCenters): void {
  if (dcs.isAt(dc, at)) return;
  const home = dcs.of(dc);
  throw invalidClient(
    'wrong_data_center',
    home
      ? `This grant belongs to the ${home.location} data centre: call ${home.accountsOrigin}.`
      : 'This grant belongs to a data centre this server no longer serves.',
  );
}

/** Whether a user of this home DC may authorize the client (spec §1.2): the client must be enabled in the user's DC. */
export function clientServesUserDc(client: Client, userDc: string | null, dcs: DataCenters): boolean {
  return !dcs.several || clientDataCenters(client).some((dc) => dcs.same(dc, userDc));
}

import type { Client } from '../../core/clients/client.js';
import { clientServesUserDc } from '../../core/datacenters/data-center-checks.js';
import type { User } from '../../core/users/user.js';
import type { BrowserContext } from './browser-context.js';
import { PageError } from './page-error.js';

/**
 * A user whose home DC the client is not enabled in cannot authorize it (spec §1.2; Zoho's page is unknown): a page
 * says so, and the application is not told (it would learn which DC the user is in).
 */
export function checkClientServesUser(client: Client, user: User, context: BrowserContext): void {
  if (clientServesUserDc(client, user.dc ?? null, context.gatehouse.config.dataCenters)) return;
  throw new PageError(
    403,
    'This application is not available in your data centre',
    `${client.name} has not been enabled for accounts in the ${context.gatehouse.config.dataCenters.of(user.dc ?? null)?.location ?? 'your'} data centre. Ask its developer to enable it in the client's Multi-DC settings.`,
    'client_not_in_data_center',
  );
}

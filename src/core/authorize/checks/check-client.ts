import { invalidClient, invalidRequest, unauthorizedClient } from '../../errors/oauth-error.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/**
 * `client_id` names a registered client that signs users in through a browser (RFC 6749 §4.1.1). Self Clients and
 * non-browser apps have no redirect URI to come back to.
 */
export const checkClient: AuthorizationCheck<'findClient'> = async (context, deps) => {
  const clientId = context.params.get('client_id');
  if (clientId === undefined) throw invalidRequest('missing_parameter', 'The parameter client_id is required.');
  const client = await deps.findClient(clientId);
  if (!client) throw invalidClient('client_unknown', 'No application is registered with this client_id.');
  if (client.redirectUris.length === 0) {
    throw unauthorizedClient(
      'client_not_browser_based',
      `A ${client.type === 'self' ? 'Self Client' : 'non-browser application'} cannot sign users in through this page.`,
    );
  }
  context.client = client;
};

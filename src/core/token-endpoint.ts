import { authenticateClient, type BasicCredentials } from './clients/authenticate-client.js';
import { clientMayUseGrant } from './clients/client.js';
import { invalidRequest, unauthorizedClient, unsupportedGrantType } from './errors/oauth-error.js';
import type { GrantDeps } from './grants/grant-handler.js';
import type { GrantRegistry } from './grants/index.js';
import type { RequestParams } from './params/request-params.js';
import type { TokenResponse } from './tokens/token-response.js';

/**
 * The token endpoint's shared work, done once for every grant (RFC 6749 §3.2): find the grant, authenticate the
 * client, check the client's type may use the grant, then hand over.
 */
export async function handleTokenRequest(
  params: RequestParams,
  basic: BasicCredentials | undefined,
  grants: GrantRegistry,
  deps: GrantDeps & { clientAuth: Parameters<typeof authenticateClient>[2] },
): Promise<TokenResponse> {
  const grantType = params.get('grant_type');
  if (grantType === undefined) throw invalidRequest('missing_parameter', 'The parameter grant_type is required.');
  const grant = grants.get(grantType);
  if (!grant) throw unsupportedGrantType('grant_type_unknown', `The grant_type ${grantType} is not supported.`);
  const caller = await authenticateClient(params, basic, deps.clientAuth);
  if (!clientMayUseGrant(caller.client, grantType)) {
    throw unauthorizedClient('grant_not_allowed', `A client of type ${caller.client.type} may not use the ${grantType} grant.`);
  }
  return grant.handle(params, caller, deps);
}

import { authenticateClient, CLIENT_AUTH_PARAMETERS, type BasicCredentials } from './clients/authenticate-client.js';
import { clientMayUseGrant } from './clients/client.js';
import type { PresentedProof, TokenRequestProofs } from './dpop/token-request-proof.js';
import { checkClientInDataCenter } from './datacenters/data-center-checks.js';
import type { DataCenter } from './datacenters/data-centers.js';
import { invalidRequest, unauthorizedClient, unsupportedGrantType } from './errors/oauth-error.js';
import type { GrantDeps, GrantHandler } from './grants/grant-handler.js';
import type { GrantRegistry } from './grants/index.js';
import { checkParameters, type ParameterDefinition } from './params/definitions.js';
import type { RequestParams } from './params/request-params.js';
import type { TokenResponse } from './tokens/token-response.js';

/**
 * The token endpoint's shared work, done once for every grant (RFC 6749 §3.2): find the grant, authenticate the
 * client, check the client's type may use the grant and that the grant's parameters are there, check a DPoP proof
 * when one was sent (RFC 9449 §5; `dpop` is undefined when the request had no `DPoP` header), then hand over.
 */
export async function handleTokenRequest(
  params: RequestParams,
  basic: BasicCredentials | undefined,
  grants: GrantRegistry,
  deps: GrantDeps & { clientAuth: Parameters<typeof authenticateClient>[2]; dpop: TokenRequestProofs },
  /** The DC whose accounts server was called (spec §9). */
  at: DataCenter,
  dpop?: PresentedProof,
  /** The caller's address, for the audit of a refused client assertion. */
  address: string | null = null,
): Promise<TokenResponse> {
  const grantType = params.get('grant_type');
  if (grantType === undefined) throw invalidRequest('missing_parameter', 'The parameter grant_type is required.');
  const grant = grants.get(grantType);
  if (!grant) throw unsupportedGrantType('grant_type_unknown', `The grant_type ${grantType} is not supported.`);
  const authenticated = authenticateClient(params, basic, deps.clientAuth, at.issuer, address);
  // Awaited only when it is a promise: a client the store holds in memory is authenticated without a turn.
  const caller = authenticated instanceof Promise ? await authenticated : authenticated;
  if (!clientMayUseGrant(caller.client, grantType)) {
    throw unauthorizedClient('grant_not_allowed', `A client of type ${caller.client.type} may not use the ${grantType} grant.`);
  }
  checkClientInDataCenter(caller.client, at, deps.config.dataCenters);
  checkParameters(params, grant.parameters);
  const proof = dpop && (await deps.dpop.check(dpop));
  // RFC 9449 §5.2 `dpop_bound_access_tokens`: such a client's tokens are always bound, so it must always send a proof.
  if (!proof && caller.client.dpopBoundAccessTokens) {
    throw invalidRequest('dpop_required', 'This client must send a DPoP proof with every token request (RFC 9449).');
  }
  const response = await grant.handle(params, caller, deps, at, proof);
  deps.events.tokenIssued(grantType, caller.client.type);
  return response;
}

/** Everything a request for one grant carries, in the order a client writes it: grant_type, credentials, the grant's own. */
export function tokenRequestParameters(grant: GrantHandler): ParameterDefinition[] {
  return [
    { name: 'grant_type', required: true, values: [grant.grantType], description: `The grant type: ${grant.grantType}.` },
    ...CLIENT_AUTH_PARAMETERS,
    ...grant.parameters,
  ];
}

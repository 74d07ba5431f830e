import { authenticateClient, type BasicCredentials } from '../clients/authenticate-client.js';
import { checkBelongsHere, checkClientInDataCenter } from '../datacenters/data-center-checks.js';
import type { DataCenter } from '../datacenters/data-centers.js';
import { invalidClient, invalidGrant, invalidRequest, unauthorizedClient, unsupportedGrantType } from '../errors/oauth-error.js';
import type { GrantDeps } from '../grants/grant-handler.js';
import { presentedRefreshToken, reserveRefreshRate } from '../grants/refresh-token.js';
import type { RequestParams } from '../params/request-params.js';
import { newOpaqueToken } from '../tokens/identifiers.js';

/** Step 1's `grant_type` (spec §8): Zoho's own string. */
export const SCOPE_ENHANCEMENT_GRANT_TYPE = 'update_scopes_token';
/** "valid 10 min" (spec §8). */
export const ENHANCEMENT_TOKEN_TTL_SECONDS = 600;

/** Zoho's step-1 body (spec §8): the enhancement token travels as `access_token`, typed so nothing takes it for a bearer. */
export interface EnhancementTokenResponse {
  access_token: string;
  token_type: 'update_scope';
  expires_in: number;
}

export type EnhancementTokenDeps = Pick<GrantDeps, 'storage' | 'hasher' | 'config' | 'rateLimiter' | 'now'> & {
  clientAuth: Parameters<typeof authenticateClient>[2];
};

/**
 * `POST /oauth/v2/token/scopeenhance` (spec §8, step 1): a client that holds a refresh token asks for a token that lets
 * it send the user to the enhancement page. The client authenticates as at the token endpoint; only a client with a
 * secret and a redirect URI (a server-based application) may, since step 2 ends at its redirect URI. The enhancement
 * token is no access token, so a DPoP-bound refresh token needs no proof here: the refresh grant still asks for one.
 */
export async function issueEnhancementToken(
  params: RequestParams,
  basic: BasicCredentials | undefined,
  deps: EnhancementTokenDeps,
  at: DataCenter,
  /** The caller's address, for the audit of a refused client assertion. */
  address: string | null = null,
): Promise<EnhancementTokenResponse> {
  const grantType = params.get('grant_type');
  if (grantType === undefined) throw invalidRequest('missing_parameter', 'The parameter grant_type is required.');
  if (grantType !== SCOPE_ENHANCEMENT_GRANT_TYPE) {
    throw unsupportedGrantType('grant_type_unknown', `This endpoint takes grant_type=${SCOPE_ENHANCEMENT_GRANT_TYPE} only.`);
  }
  const { client, method } = await authenticateClient(params, basic, deps.clientAuth, at.issuer, address);
  if (method === 'none') throw invalidClient('client_secret_missing', 'Incremental authorization requires the client_secret.');
  if (client.redirectUris.length === 0) {
    throw unauthorizedClient('grant_not_allowed', 'Incremental authorization ends at a redirect URI; this application has none.');
  }
  // The token endpoint's DC rules (spec §9): the client must be enabled here, and the refresh token belong here.
  checkClientInDataCenter(client, at, deps.config.dataCenters);
  const refreshToken = await presentedRefreshToken(params.require('refresh_token'), client, deps);
  checkBelongsHere(refreshToken.dc ?? null, at, deps.config.dataCenters);
  // The enhancement page asks the refresh token's user, but an organisation's grant is not theirs to widen: they may
  // have left it (Zoho's org tokens outlive that). Its administrators authorize the wider grant afresh instead.
  if (refreshToken.orgId !== undefined) {
    throw invalidGrant(
      'org_grant',
      'This refresh token is an organisation-wide grant; ask an administrator to authorize the scopes at /oauth/v2/org/auth.',
    );
  }
  await reserveRefreshRate(`enhance:${refreshToken.id}`, deps);

  const token = newOpaqueToken();
  const now = deps.now();
  await deps.storage.tokens.createScopeEnhancementToken({
    id: deps.hasher.storageKey(token),
    clientId: client.clientId,
    refreshTokenId: refreshToken.id,
    createdAt: now,
    expiresAt: now + ENHANCEMENT_TOKEN_TTL_SECONDS * 1000,
  });
  return { access_token: token, token_type: 'update_scope', expires_in: ENHANCEMENT_TOKEN_TTL_SECONDS };
}

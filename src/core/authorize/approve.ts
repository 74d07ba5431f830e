import type { Client } from '../clients/client.js';
import { accessDenied } from '../errors/oauth-error.js';
import type { GrantDeps } from '../grants/grant-handler.js';
import { grantedScopes } from '../grants/granted-scopes.js';
import { newOpaqueToken } from '../tokens/identifiers.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { errorRedirect, redirectWith } from './redirect.js';

/**
 * The user said yes (or had before): issue a code, or for the implicit flow an access token, and build the redirect
 * (spec §2.2, §2.4). The redirect carries Zoho's `location` and `accounts-server` and RFC 9207's `iss`.
 *
 * A refresh token comes only with a consent given now (Zoho: `access_type=offline` yields one on the first consent;
 * another needs `prompt=consent`, spec §2.1), hence `consentGivenNow`.
 */
export async function approveAuthorization(
  request: AuthorizationRequest,
  client: Client,
  signIn: { userZuid: string; amr: string; authTime: number; sid: string },
  consentGivenNow: boolean,
  deps: GrantDeps,
): Promise<string> {
  const { userZuid } = signIn;
  const { config } = deps;
  const common = { state: request.state, location: config.location, 'accounts-server': config.issuer, iss: config.issuer };
  if (request.responseType === 'token') {
    const issued = await deps.storage.transaction((tx) =>
      deps.issuer.issue(tx, { client, userZuid, scopes: grantedScopes(request.scope, deps.scopes), refresh: 'none', originCodeId: null }),
    );
    deps.events.tokenIssued('implicit', client.type);
    return redirectWith(request.redirectUri, 'fragment', {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: String(issued.expiresIn),
      scope: request.scope,
      api_domain: config.apiDomain,
      ...common,
    });
  }

  const rate = config.limits.codeRate;
  if (rate !== null && !(await deps.rateLimiter.reserve([{ key: `code:${client.clientId}`, limit: rate }])).allowed) {
    // Zoho: more than 10 codes per client in 10 minutes is access_denied (spec §2.2).
    return errorRedirect(
      request,
      accessDenied('user_denied', 'Too many authorization codes for this application; try again later.'),
      config.issuer,
    );
  }
  const code = newOpaqueToken();
  const now = deps.now();
  await deps.storage.codes.create({
    id: deps.hasher.storageKey(code),
    clientId: client.clientId,
    userZuid,
    scopes: request.scope,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    nonce: request.nonce,
    amr: signIn.amr,
    sid: signIn.sid,
    authTime: signIn.authTime,
    offline: request.accessType === 'offline' && consentGivenNow,
    kind: 'web',
    description: null,
    createdAt: now,
    expiresAt: now + config.ttl.code * 1000,
    consumedAt: null,
  });
  return redirectWith(request.redirectUri, request.responseMode, { code, ...common });
}

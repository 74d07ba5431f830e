import { checkBelongsHere } from '../datacenters/data-center-checks.js';
import { invalidGrant, invalidScope, throttled } from '../errors/oauth-error.js';
import { anyCovers } from '@gatehouse/resource-server';
import { issueIdToken } from '../oidc/id-token.js';
import { looksLikeOpaqueToken } from '../tokens/identifiers.js';
import { findPresented } from '../tokens/token-lookup.js';
import { dpopBinding } from '../tokens/token-issuer.js';
import { tokenResponse } from '../tokens/token-response.js';
import type { Client } from '../clients/client.js';
import type { GatehouseConfig } from '../config/config.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { StoreOf } from '../store.js';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import type { RefreshToken } from '../tokens/token-repository.js';
import type { GrantHandler } from './grant-handler.js';
import { grantedScopes } from './granted-scopes.js';

const unknownRefreshToken = () => invalidGrant('refresh_token_unknown', 'The refresh token is not valid, or has been revoked.');

/**
 * `grant_type=refresh_token` (RFC 6749 §6). Zoho does not rotate refresh tokens (spec §3.2): the response carries a
 * new access token only. `scope` may narrow the new token's scopes but never widen them.
 */
export const refreshTokenGrant: GrantHandler = {
  grantType: 'refresh_token',
  parameters: [
    { name: 'refresh_token', required: true, description: 'The refresh token from the code exchange.' },
    { name: 'scope', required: false, delimiter: ',', description: 'Narrows the new access token to some of the granted scopes.' },
  ],
  // No refresh_token: Zoho does not rotate them (spec §3.2).
  returns: ['access_token', 'scope', 'api_domain', 'token_type', 'expires_in', 'id_token'],

  async handle(params, caller, deps, at, proof) {
    const { client } = caller;
    const refreshToken = await presentedRefreshToken(params.require('refresh_token'), client, deps);
    // RFC 9449 §5: a bound refresh token is used only with a proof of its key.
    if (refreshToken.jkt !== null && refreshToken.jkt !== proof?.jkt) {
      throw invalidGrant('dpop_key_mismatch', 'This refresh token is bound to a DPoP key; send a DPoP proof signed with that key.');
    }
    checkBelongsHere(refreshToken.dc ?? null, at, deps.config.dataCenters);

    const granted = grantedScopes(refreshToken.scopes, deps.scopes);
    const requested = params.get('scope');
    let scopes = granted;
    if (requested !== undefined) {
      scopes = deps.scopes.parse(requested);
      // §6: "MUST NOT include any scope not originally granted by the resource owner".
      const excess = scopes.filter((s) => !anyCovers(granted, s));
      if (excess.length > 0) {
        throw invalidScope('scope_not_granted', `Not granted to this refresh token: ${excess.map((s) => s.name).join(', ')}.`);
      }
    }

    // RFC 8707 §2.2: `resource` narrows what the refresh token grants; without it, all of that.
    const audience = deps.resources.audienceWithin(params, refreshToken.resources);
    await reserveRefreshRate(`refresh:${refreshToken.id}`, deps);
    const pendingKey = deps.issuer.jwtSigningKey(client);
    const signingKey = pendingKey && (await pendingKey);

    const issued = await deps.storage.transaction(async (tx) => {
      // The refresh token may have been revoked since it was read; issuing under a dead one would orphan the token.
      if (!(await tx.tokens.findRefreshToken(refreshToken.id))) return undefined;
      return deps.issuer.issue(tx, {
        client,
        userZuid: refreshToken.userZuid,
        scopes,
        refresh: refreshToken,
        // Revoking the refresh token, which carries the origin code, takes this access token along.
        originCodeId: null,
        dpop: dpopBinding(proof, caller),
        dc: refreshToken.dc ?? null,
        audience,
        signingKey,
        orgId: refreshToken.orgId,
        authentication: refreshToken.signIn,
      });
    });
    if (!issued) throw unknownRefreshToken();
    const response = tokenResponse(issued, deps.config);
    // OpenID Connect Core §12.2: a refresh may bring a new id_token. Only with `openid` granted, so a refresh without it
    // costs no signature.
    if (scopes.some((s) => s.name === 'openid')) {
      const user = await deps.storage.users.findByZuid(refreshToken.userZuid);
      if (user) {
        const { amr, authTime, sid } = refreshToken.signIn ?? { amr: null, authTime: null, sid: null };
        response.id_token = await issueIdToken(
          // No nonce (§12.2: it belongs to the original authentication); that authentication's `amr`, `auth_time` and
          // `sid`, which the refresh token keeps from its code (none for a grant of no browser sign-in).
          {
            user,
            clientId: client.clientId,
            scopes,
            nonce: null,
            amr,
            authTime,
            sid,
            accessToken: issued.accessToken,
            alg: client.idTokenSignedResponseAlg,
          },
          // The refresh token's DC's issuer, as for a code exchange: checkBelongsHere made `at` that DC.
          { keys: deps.signingKeys, issuer: at.issuer, now: deps.now },
        );
      }
    }
    return response;
  },
};

/** The refresh token a client presents: live and issued to that client (RFC 6749 §6), or `invalid_grant`. */
export async function presentedRefreshToken(
  value: string,
  client: Client,
  deps: { hasher: CredentialHasher; storage: StoreOf<'tokens'> },
): Promise<RefreshToken> {
  if (!looksLikeOpaqueToken(value)) throw unknownRefreshToken();
  const refreshToken = (await findPresented(value, deps.hasher, (key) => deps.storage.tokens.findRefreshToken(key)))?.record;
  // §6: "validate the refresh token and ensure that it was issued to the authenticated client".
  if (!refreshToken || refreshToken.clientId !== client.clientId) throw unknownRefreshToken();
  return refreshToken;
}

/**
 * Zoho's "10 access-token requests per refresh token per 10 minutes" (spec §6), counted under `key`: reserved before
 * anything is issued, so parallel requests cannot outrun it.
 */
export async function reserveRefreshRate(key: string, deps: { config: GatehouseConfig; rateLimiter: RateLimiter }): Promise<void> {
  const rate = deps.config.limits.refreshRate;
  if (rate === null) return;
  const decision = await deps.rateLimiter.reserve([{ key, limit: rate }]);
  if (!decision.allowed) {
    throw throttled('Token creation throttle limit reached. Please reuse the valid tokens you currently have.', decision.retryAfter);
  }
}

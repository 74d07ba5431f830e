import { checkBelongsHere } from '../datacenters/data-center-checks.js';
import { invalidClient, invalidGrant, invalidRequest } from '../errors/oauth-error.js';
import { wantsIdentity } from '../oidc/claims.js';
import { issueIdToken } from '../oidc/id-token.js';
import { looksLikeOpaqueToken } from '../tokens/identifiers.js';
import { findPresented } from '../tokens/token-lookup.js';
import { dpopBinding } from '../tokens/token-issuer.js';
import { tokenResponse } from '../tokens/token-response.js';
import { checkPkce } from './check-pkce.js';
import type { GrantHandler } from './grant-handler.js';
import { grantedScopes } from './granted-scopes.js';

const codeUnknown = () => invalidGrant('code_unknown', 'The code is not valid.');

/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3), for web-flow codes and Self Client codes (spec §4).
 * A code is single use; presenting a used one revokes every token issued from it (RFC 9700 §4.2.4).
 */
export const authorizationCodeGrant: GrantHandler = {
  grantType: 'authorization_code',
  parameters: [
    { name: 'code', required: true, description: 'The code from the authorization redirect, or a Self Client code.' },
    {
      name: 'redirect_uri',
      required: false,
      description: 'Required when the authorization request had one, and then exactly the same (Self Client codes take none).',
    },
    { name: 'code_verifier', required: false, description: 'PKCE: required when the authorization request had a code_challenge.' },
  ],
  returns: ['access_token', 'refresh_token', 'scope', 'api_domain', 'token_type', 'expires_in', 'id_token'],

  async handle(params, caller, deps, at, proof) {
    const { client, method } = caller;
    const value = params.require('code');
    if (!looksLikeOpaqueToken(value)) throw codeUnknown();
    const found = await findPresented(value, deps.hasher, (key) => deps.storage.codes.find(key));
    // RFC 6749 §4.1.3: "ensure that the authorization code was issued to the authenticated confidential client".
    // A code of another client is reported exactly like an unknown one, so codes cannot be probed across clients.
    if (!found || found.record.clientId !== client.clientId) throw codeUnknown();
    const { key: id, record: code } = found;
    // Redeemed at the user's DC only (the redirect's accounts-server); elsewhere refused, and the code stays unused.
    checkBelongsHere(code.dc ?? null, at, deps.config.dataCenters);
    if (code.consumedAt !== null) return replay(id);
    if (code.expiresAt <= deps.now()) throw invalidGrant('code_expired', 'The code has expired.');

    if (code.redirectUri !== null) {
      // §4.1.3: redirect_uri is REQUIRED when the authorization request had one, "and their values MUST be identical".
      const redirectUri = params.get('redirect_uri');
      if (redirectUri === undefined) throw invalidRequest('missing_parameter', 'The parameter redirect_uri is required for this code.');
      if (redirectUri !== code.redirectUri) {
        throw invalidGrant('redirect_uri_mismatch', 'The redirect_uri does not match the one the code was issued for.');
      }
    }
    checkPkce(code, params.get('code_verifier'));
    // A public client proves itself only through PKCE (RFC 9700 §2.1.1).
    if (method === 'none' && code.codeChallenge === null) {
      throw invalidClient(
        'client_secret_missing',
        'This code was issued without PKCE, so the client must authenticate with its client_secret.',
      );
    }

    const scopes = grantedScopes(code.scopes, deps.scopes);
    // RFC 8707 §2.2: `resource` here narrows what the authorization request granted; without it, all of that.
    const audience = deps.resources.audienceWithin(params, code.resources);
    const pendingKey = deps.issuer.jwtSigningKey(client);
    const signingKey = pendingKey && (await pendingKey);
    const issued = await deps.storage.transaction(async (tx) => {
      const consumption = await tx.codes.consume(id, deps.now());
      // Lost a race with a concurrent redemption: that one won, this one is the replay.
      if (consumption.status !== 'ok') return undefined;
      return deps.issuer.issue(tx, {
        client,
        userZuid: code.userZuid,
        scopes,
        // Self Client codes always give a refresh token (spec §4); web codes when access_type=offline.
        refresh: code.offline || code.kind === 'self' ? 'new' : 'none',
        originCodeId: id,
        dpop: dpopBinding(proof, caller),
        dc: code.dc ?? null,
        audience,
        resources: code.resources,
        signingKey,
        authentication: { amr: code.amr, authTime: code.authTime, sid: code.sid },
        orgId: code.orgId,
      });
    });
    if (!issued) return replay(id);
    const response = tokenResponse(issued, deps.config);
    // "Sign in using Zoho": openid, email or profile in the scope brings an id_token (spec §10).
    if (wantsIdentity(scopes)) {
      const user = await deps.storage.users.findByZuid(code.userZuid);
      if (user) {
        response.id_token = await issueIdToken(
          {
            user,
            clientId: client.clientId,
            scopes,
            nonce: code.nonce,
            amr: code.amr,
            authTime: code.authTime,
            sid: code.sid,
            accessToken: issued.accessToken,
            alg: client.idTokenSignedResponseAlg,
          },
          { keys: deps.signingKeys, issuer: at.issuer, now: deps.now },
        );
      }
    }
    return response;

    async function replay(codeId: string): Promise<never> {
      await deps.storage.tokens.revokeIssuedFromCode(codeId);
      throw invalidGrant('code_used', 'The code has already been used; the tokens issued from it are revoked.');
    }
  },
};

import { POLL_INTERVAL_MS } from '../device/device-authorization.js';
import { accessDenied, authorizationPending, expiredToken, invalidGrant, otherDataCenter, slowDown } from '../errors/oauth-error.js';
import { looksLikeOpaqueToken } from '../tokens/identifiers.js';
import { findPresented } from '../tokens/token-lookup.js';
import { dpopBinding } from '../tokens/token-issuer.js';
import { tokenResponse } from '../tokens/token-response.js';
import type { GrantDeps, GrantHandler } from './grant-handler.js';
import { grantedScopes } from './granted-scopes.js';

const codeUnknown = () => invalidGrant('code_unknown', 'The device code is not valid.');
const codeUsed = () => invalidGrant('code_used', 'The device code has been used already.');

/**
 * The device's poll (RFC 8628 §3.4–3.5; Zoho spec §3.5): tokens once the user approved, else why not yet. Zoho's
 * `grant_type=device_token` at `/oauth/v3/device/token` names the code `code`; RFC 8628's grant at the token endpoint
 * names it `device_code`. Tokens are issued once: the approval is consumed in the transaction that issues them.
 */
function deviceGrant(grantType: string, codeParameter: string): GrantHandler {
  return {
    grantType,
    parameters: [{ name: codeParameter, required: true, description: 'The device_code of the device authorization response.' }],
    returns: ['access_token', 'refresh_token', 'scope', 'api_domain', 'token_type', 'expires_in'],

    async handle(params, caller, deps, at, proof) {
      const { client } = caller;
      const value = params.require(codeParameter);
      if (!looksLikeOpaqueToken(value)) throw codeUnknown();
      const found = await findPresented(value, deps.hasher, (key) => deps.storage.deviceAuthorizations.find(key));
      // Another client's device code is reported exactly like an unknown one.
      if (!found || found.record.clientId !== client.clientId) throw codeUnknown();
      const { key: id, record } = found;
      const now = deps.now();
      if (record.consumedAt !== null) throw codeUsed();
      if (record.expiresAt <= now) throw expiredToken('device_code_expired', 'The device code has expired; start again.');
      if (record.status === 'denied') throw accessDenied('user_denied', 'The user denied the request.');
      if (record.status === 'pending') {
        // A poll too soon after the last one is not recorded: the interval runs from the last poll that was answered.
        if (!(await deps.storage.deviceAuthorizations.notePoll(id, now, POLL_INTERVAL_MS))) {
          throw slowDown('slow_down', `Poll at most once every ${POLL_INTERVAL_MS / 1000} seconds.`);
        }
        throw authorizationPending('authorization_pending', 'The user has not answered yet.');
      }

      const dc = await approverDataCenter(record.userZuid!, deps);
      const dcs = deps.config.dataCenters;
      if (!dcs.same(dc, at.location)) {
        // Zoho's other_dc (spec §3.5): the user who approved lives elsewhere; the device polls there, nothing is used up.
        const home = dcs.of(dc) ?? dcs.primary;
        throw otherDataCenter(home.location, home.accountsOrigin);
      }
      const scopes = grantedScopes(record.scopes, deps.scopes);
      // A device authorization names no resource (RFC 8707 is not part of RFC 8628 here): one named now is not granted.
      const audience = deps.resources.audienceWithin(params, undefined);
      const pendingKey = deps.issuer.jwtSigningKey(client);
      const signingKey = pendingKey && (await pendingKey);
      const issued = await deps.storage.transaction(async (tx) => {
        if (!(await tx.deviceAuthorizations.consume(id, now))) return undefined;
        return deps.issuer.issue(tx, {
          client,
          userZuid: record.userZuid!,
          scopes,
          refresh: record.offline ? 'new' : 'none',
          originCodeId: null,
          dpop: dpopBinding(proof, caller),
          dc,
          audience,
          signingKey,
        });
      });
      if (!issued) throw codeUsed();
      return tokenResponse(issued, deps.config);
    },
  };
}

/** The approving user's home DC; with one DC there is nothing to look up. */
async function approverDataCenter(userZuid: string, deps: GrantDeps): Promise<string | null> {
  if (!deps.config.dataCenters.several) return null;
  return (await deps.storage.users.findByZuid(userZuid))?.dc ?? null;
}

/** RFC 8628 §3.4, at `/oauth/v2/token`. */
export const deviceCodeGrant = deviceGrant('urn:ietf:params:oauth:grant-type:device_code', 'device_code');
/** Zoho's poll, at `/oauth/v3/device/token` (spec §3.5). */
export const zohoDeviceTokenGrant = deviceGrant('device_token', 'code');

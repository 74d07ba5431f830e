import type { AuthorizationCheckDeps } from '../../core/authorize/authorization-request.js';
import { idTokenHintSubject } from '../../core/oidc/id-token-hint.js';
import { verifyRequestObject } from '../../core/authorize/request-object.js';
import type { SignIn } from '../../core/sessions/sessions.js';
import type { Gatehouse } from '../../gatehouse.js';

/** What the authorization pipeline reads, for every route that validates an authorization request. */
export function authorizationCheckDeps(gatehouse: Gatehouse): AuthorizationCheckDeps {
  const { storage, config } = gatehouse;
  // An id_token_hint may come from any DC's accounts server: all are this server (spec §9).
  return {
    findClient: (id: string) => storage.clients.find(id),
    parseScopes: (raw: string) => gatehouse.scopes.parse(raw),
    resources: gatehouse.resources,
    idTokenHintSubject: (hint: string, clientId: string) =>
      idTokenHintSubject(hint, clientId, { keys: gatehouse.signingKeys, issuer: config.dataCenters.issuers }),
    // A request object names the issuer as its audience: any DC's, as for id_token_hint.
    requestObjectParams: (client, jwt) =>
      verifyRequestObject(client, jwt, config.dataCenters.issuers, { keys: gatehouse.clientKeys, now: gatehouse.now }),
    requirePushedAuthorizationRequests: config.requirePushedAuthorizationRequests,
  };
}

/** What a code records of the sign-in behind it (its session's sid, for logout), and the user's home DC, where the code belongs (spec §9). */
export const signedInAs = (signIn: SignIn) => ({
  userZuid: signIn.user.zuid,
  amr: signIn.amr,
  authTime: signIn.authTime,
  sid: signIn.sid,
  dc: signIn.user.dc ?? null,
});

import type { Client } from '../clients/client.js';
import { clientServesUserDc } from '../datacenters/data-center-checks.js';
import type { DataCenter, DataCenters } from '../datacenters/data-centers.js';
import { invalidScope, unsupportedResponseType } from '../errors/oauth-error.js';
import type { GrantDeps } from '../grants/grant-handler.js';
import { OIDC_SCOPES } from '../oidc/claims.js';
import type { Organisation, OrganisationRepository } from '../orgs/organisation-repository.js';
import { approveAuthorization } from './approve.js';
import { AuthorizationFailure, type AuthorizationRequest } from './authorization-request.js';

/**
 * Org-level authorization (`GET /oauth/v2/org/auth`, spec §0; Zoho's "instance-level OAuth"): an administrator grants
 * an application access to a whole organisation, choosing which when they administer several. Zoho's page gives the
 * parameters (those of `/oauth/v2/auth`, `response_type=code` only) and says the code lives 2 minutes and the tokens
 * "remain valid even if the administrator who authorized it is later removed". The rest is inferred (README).
 *
 * What an org-wide request may not ask for, beyond what the authorization pipeline checks: a token (the implicit
 * flow: Zoho's page names `code` only), and an identity (`openid`, `email`, `profile`: an organisation is no person,
 * and an id_token about the administrator would outlive their part in it).
 */
export function checkOrgAuthorizationRequest(authorization: AuthorizationRequest): void {
  if (authorization.responseType !== 'code') {
    throw new AuthorizationFailure(
      unsupportedResponseType('response_type_unknown', 'Org-level authorization issues codes only: use response_type=code.'),
      authorization,
    );
  }
  const identity = authorization.scope.split(' ').filter((name) => OIDC_SCOPES.has(name));
  if (identity.length > 0) {
    throw new AuthorizationFailure(
      invalidScope('scope_not_for_org', `An organisation-wide grant cannot carry identity scopes: ${identity.join(', ')}.`),
      authorization,
    );
  }
}

/**
 * The organisations the user may grant this client access to: those they administer, in a data centre the client is
 * enabled in (the code and tokens belong to the organisation's DC, spec §9).
 */
export async function grantableOrganisations(
  userZuid: string,
  client: Client,
  deps: { organisations: OrganisationRepository; dataCenters: DataCenters },
): Promise<Organisation[]> {
  const administered = await deps.organisations.administeredBy(userZuid);
  return administered.filter((organisation) => clientServesUserDc(client, organisation.dc, deps.dataCenters));
}

/**
 * The administrator said yes for `organisation`: a code that acts for it, redeemed at the organisation's DC, whose
 * `location` and `accounts-server` the redirect names. The consent is given now, every time (org consent is not
 * remembered), so `access_type=offline` always brings a refresh token.
 */
export function approveOrgAuthorization(
  authorization: AuthorizationRequest,
  client: Client,
  signIn: { userZuid: string; amr: string; authTime: number; sid: string },
  organisation: Organisation,
  deps: GrantDeps,
  at: DataCenter,
): Promise<string> {
  return approveAuthorization(authorization, client, { ...signIn, dc: organisation.dc }, true, deps, at, organisation.id);
}

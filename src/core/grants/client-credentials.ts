import { checkBelongsHere } from '../datacenters/data-center-checks.js';
import { invalidRequest, missingOrgInfo } from '../errors/oauth-error.js';
import type { OrganisationRepository } from '../orgs/organisation-repository.js';
import { dpopBinding } from '../tokens/token-issuer.js';
import { tokenResponse } from '../tokens/token-response.js';
import type { GrantHandler } from './grant-handler.js';

/** Zoho's `soid`: the service org the token acts on, `<Service>.<org id>` (spec §3.4). */
const SOID = /^[A-Za-z][A-Za-z0-9]*\.[0-9]+$/;

/**
 * `grant_type=client_credentials` (RFC 6749 §4.4) for Self Clients (spec §3.4). The token acts as the client's owner
 * and has no refresh token. Zoho requires `scope`, so Gatehouse does too. The token belongs to the client's home DC,
 * which is its owner's (a client's home is where its owner created it): it acts as the owner, so it is issued at the
 * owner's accounts server and names the owner's `api_domain`, as a user's token does (spec §9).
 */
export const clientCredentialsGrant: GrantHandler = {
  grantType: 'client_credentials',
  parameters: [
    { name: 'scope', required: true, delimiter: ',', description: 'The scopes requested, comma separated.' },
    { name: 'soid', required: false, description: 'The service org the token acts on, <Service>.<org id>, e.g. ZohoCRM.60012345678.' },
  ],
  returns: ['access_token', 'scope', 'api_domain', 'token_type', 'expires_in'],

  async handle(params, caller, deps, at, proof) {
    const { client } = caller;
    const scopes = deps.scopes.parse(params.require('scope'));
    const soid = params.get('soid');
    if (soid !== undefined && !SOID.test(soid)) {
      throw invalidRequest('invalid_parameter', 'The soid parameter must look like <Service>.<org id>, e.g. ZohoCRM.60012345678.');
    }
    checkBelongsHere(client.homeDc ?? null, at, deps.config.dataCenters);
    // Only a Self Client gets here (GRANTS_BY_TYPE), and a Self Client always has its owner.
    const ownerZuid = client.ownerZuid!;
    // Only a request that names an org pays for the look-up.
    const orgId = soid === undefined ? undefined : await administeredOrg(soid, ownerZuid, deps.storage.organisations);
    // RFC 8707: a client acting for itself may name any resource this server knows.
    const audience = deps.resources.requested(params);
    const pendingKey = deps.issuer.jwtSigningKey(client);
    // One insert and nothing else: no transaction, so concurrent requests share its commit.
    const issued = await deps.issuer.issueAccessToken(deps.storage.tokens, {
      client,
      userZuid: ownerZuid,
      scopes,
      originCodeId: null,
      dpop: dpopBinding(proof, caller),
      dc: client.homeDc ?? null,
      audience,
      signingKey: pendingKey && (await pendingKey),
      subjectIsClient: true,
      orgId,
    });
    return tokenResponse(issued, deps.config);
  },
};

/**
 * The org a `soid` names must exist and the Self Client's owner, as whom the token acts, must administer it: a token
 * for an org is the org's data, which only its administrators may hand to a script. One answer for both, so the
 * error does not tell which organisation IDs exist. The org's ID, which the token then carries.
 */
async function administeredOrg(soid: string, ownerZuid: string, organisations: OrganisationRepository): Promise<string> {
  const orgId = soid.slice(soid.indexOf('.') + 1);
  if ((await organisations.roleOf(orgId, ownerZuid)) !== 'admin') {
    throw missingOrgInfo("The soid names no organisation this Self Client's owner administers.");
  }
  return orgId;
}

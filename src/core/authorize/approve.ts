import type { Client } from '../clients/client.js';
import type { DataCenter } from '../datacenters/data-centers.js';
import { accessDenied } from '../errors/oauth-error.js';
import type { GrantDeps } from '../grants/grant-handler.js';
import { grantedScopes } from '../grants/granted-scopes.js';
import { issueIdToken } from '../oidc/id-token.js';
import { newOpaqueToken } from '../tokens/identifiers.js';
import { apiDomainOf } from '../datacenters/api-domain.js';
import type { Scope } from '@gatehouse/resource-server';
import { isImplicit } from './authorization-parameters.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { dataCenterRedirectParams, errorRedirect, redirectWith } from './redirect.js';

/**
 * The user said yes (or had before): issue a code, or for the implicit flow an access token, and build the redirect
 * (spec §2.2, §2.4). The redirect carries Zoho's `location` and `accounts-server` and RFC 9207's `iss`.
 *
 * Data centres (spec §9): `location` and `accounts-server` name the user's home DC, where the code must be redeemed
 * (the code and tokens carry it); `iss` names the accounts server that answered, `at`, as RFC 9207 means it.
 *
 * A refresh token comes only with a consent given now (Zoho: `access_type=offline` yields one on the first consent;
 * another needs `prompt=consent`, spec §2.1), hence `consentGivenNow`.
 */
export async function approveAuthorization(
  request: AuthorizationRequest,
  client: Client,
  signIn: { userZuid: string; amr: string; authTime: number; sid: string; dc: string | null },
  consentGivenNow: boolean,
  deps: GrantDeps,
  at: DataCenter,
  /** An org-wide grant's organisation (`approveOrgAuthorization`): the code, and the tokens from it, act for it. */
  orgId?: string,
): Promise<string> {
  const { userZuid, dc } = signIn;
  const { config } = deps;
  const common = { state: request.state, ...dataCenterRedirectParams(dc, at, config.dataCenters) };
  if (isImplicit(request.responseType)) {
    const scopes = grantedScopes(request.scope, deps.scopes);
    const pendingKey = deps.issuer.jwtSigningKey(client);
    const signingKey = pendingKey && (await pendingKey);
    const issued = await deps.storage.transaction((tx) =>
      deps.issuer.issue(tx, {
        client,
        userZuid,
        scopes,
        refresh: 'none',
        originCodeId: null,
        dc,
        audience: request.resources,
        signingKey,
        authentication: { amr: signIn.amr, authTime: signIn.authTime, sid: signIn.sid },
      }),
    );
    deps.events.tokenIssued('implicit', client.type);
    return redirectWith(request.redirectUri, 'fragment', {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: String(issued.expiresIn),
      scope: request.scope,
      api_domain: apiDomainOf(dc, config),
      // OpenID Connect Core §3.2.2.10: with the access token, the id_token carries its at_hash and the request's nonce;
      // its `iss` is the user's DC's, as the tokens belong there (an id_token from a code exchange says the same).
      id_token:
        request.responseType === 'id_token token'
          ? await implicitIdToken(request, client, signIn, scopes, issued.accessToken, deps, common['accounts-server'])
          : undefined,
      ...common,
    });
  }

  const rate = config.limits.codeRate;
  if (rate !== null && !(await deps.rateLimiter.reserve([{ key: `code:${client.clientId}`, limit: rate }])).allowed) {
    // Zoho: more than 10 codes per client in 10 minutes is access_denied (spec §2.2).
    return errorRedirect(
      request,
      accessDenied('user_denied', 'Too many authorization codes for this application; try again later.'),
      at.issuer,
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
    dc,
    ...(request.resources === undefined ? {} : { resources: request.resources }),
    ...(orgId === undefined ? {} : { orgId }),
  });
  return redirectWith(request.redirectUri, request.responseMode, { code, ...common });
}

async function implicitIdToken(
  request: AuthorizationRequest,
  client: Client,
  signIn: { userZuid: string; amr: string; authTime: number; sid: string },
  scopes: readonly Scope[],
  accessToken: string,
  deps: GrantDeps,
  issuer: string,
): Promise<string | undefined> {
  const user = await deps.storage.users.findByZuid(signIn.userZuid);
  if (!user) return undefined;
  return issueIdToken(
    {
      user,
      clientId: client.clientId,
      scopes,
      nonce: request.nonce,
      amr: signIn.amr,
      authTime: signIn.authTime,
      sid: signIn.sid,
      accessToken,
      alg: client.idTokenSignedResponseAlg,
    },
    { keys: deps.signingKeys, issuer, now: deps.now },
  );
}

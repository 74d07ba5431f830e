import { anyCovers, formatScopes } from '@gatehouse/resource-server';
import type { AuditContext, AuditLog } from '../audit/audit-log.js';
import { AuthorizationFailure, type AuthorizationCheckDeps, type AuthorizationContext } from '../authorize/authorization-request.js';
import { checkClient } from '../authorize/checks/check-client.js';
import { checkRedirectUri } from '../authorize/checks/check-redirect-uri.js';
import { checkScope } from '../authorize/checks/check-scope.js';
import { dataCenterRedirectParams, errorRedirect, redirectWith } from '../authorize/redirect.js';
import type { GatehouseConfig } from '../config/config.js';
import type { DataCenter } from '../datacenters/data-centers.js';
import { accessDenied, invalidRequest, isOAuthError, unsupportedResponseType, type OAuthError } from '../errors/oauth-error.js';
import { grantedScopes } from '../grants/granted-scopes.js';
import type { RequestParams } from '../params/request-params.js';
import type { ScopeRegistry } from '../scopes/registry.js';
import type { StoreOf } from '../store.js';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import { looksLikeOpaqueToken } from '../tokens/identifiers.js';
import { findPresented } from '../tokens/token-lookup.js';

/** Step 2's `response_type` (spec §8). */
export const SCOPE_ENHANCEMENT_RESPONSE_TYPE = 'update_scopes';

/**
 * A validated `GET /oauth/v2/token/addextrascope` (spec §8, step 2). Plain data, so it can wait in a consent
 * interaction; it names the enhancement token by its storage key, never its value.
 */
export interface ScopeEnhancementRequest {
  clientId: string;
  redirectUri: string;
  /** The scopes the refresh token does not carry yet, canonical, space separated; empty when it carries them all. */
  newScopes: string;
  state: string | null;
  /** `logout=true`: the user's session ends after the decision. */
  logout: boolean;
  enhanceTokenId: string;
  refreshTokenId: string;
  /** Whose grant this is: only this user may answer. */
  userZuid: string;
}

export interface ScopeEnhancementDeps {
  storage: StoreOf<'clients' | 'tokens' | 'consents' | 'auditEvents'>;
  hasher: CredentialHasher;
  scopes: ScopeRegistry;
  config: GatehouseConfig;
  audit: AuditLog;
  now: () => number;
}

const enhanceTokenUnknown = (): OAuthError =>
  invalidRequest('enhance_token_unknown', 'The enhance_token is not valid: it has expired, was used, or its grant was revoked.');

/**
 * Checks step 2's request in the authorization endpoint's order (RFC 6749 §4.1.2.1): until the client and its
 * redirect URI are known good, errors are shown to the user, never redirected; after that they go back in the redirect.
 */
export async function validateScopeEnhancement(params: RequestParams, deps: ScopeEnhancementDeps): Promise<ScopeEnhancementRequest> {
  const context: AuthorizationContext = { params };
  const checkDeps: Pick<AuthorizationCheckDeps, 'findClient' | 'parseScopes'> = {
    findClient: (id) => deps.storage.clients.find(id),
    parseScopes: (raw) => deps.scopes.parse(raw),
  };
  try {
    await checkClient(context, checkDeps);
    checkRedirectUri(context, checkDeps);
  } catch (err) {
    if (isOAuthError(err)) throw new AuthorizationFailure(err);
    throw err;
  }
  const redirect = { redirectUri: context.redirectUri!, responseMode: 'query' as const, state: params.get('state') ?? null };
  try {
    const responseType = params.require('response_type');
    if (responseType !== SCOPE_ENHANCEMENT_RESPONSE_TYPE) {
      throw unsupportedResponseType('response_type_unknown', `This endpoint takes response_type=${SCOPE_ENHANCEMENT_RESPONSE_TYPE} only.`);
    }
    checkScope(context, checkDeps);
    const logout = params.get('logout');
    if (logout !== undefined && logout !== 'true' && logout !== 'false')
      throw invalidRequest('invalid_parameter', 'logout must be true or false.');

    const value = params.require('enhance_token');
    const found = looksLikeOpaqueToken(value)
      ? await findPresented(value, deps.hasher, (key) => deps.storage.tokens.findScopeEnhancementToken(key))
      : undefined;
    // Another client's token is reported exactly like an unknown one.
    if (!found || found.record.clientId !== context.client!.clientId || found.record.expiresAt <= deps.now()) {
      throw enhanceTokenUnknown();
    }
    const refreshToken = await deps.storage.tokens.findRefreshToken(found.record.refreshTokenId);
    if (!refreshToken) throw enhanceTokenUnknown();
    const granted = grantedScopes(refreshToken.scopes, deps.scopes);
    return {
      clientId: context.client!.clientId,
      redirectUri: redirect.redirectUri,
      newScopes: formatScopes(context.scopes!.filter((scope) => !anyCovers(granted, scope))),
      state: redirect.state,
      logout: logout === 'true',
      enhanceTokenId: found.key,
      refreshTokenId: refreshToken.id,
      userZuid: refreshToken.userZuid,
    };
  } catch (err) {
    if (isOAuthError(err)) throw new AuthorizationFailure(err, redirect);
    throw err;
  }
}

/**
 * The user accepted: in one transaction the enhancement token is used up, the refresh token carries the union of its
 * scopes and the new ones (so does every access token refreshed from it afterwards), the consent record grows to match
 * (Connected apps shows it), and the audit event is written. No refresh token is minted, so the 20-per-pair limit is
 * untouched. Returns the redirect to the client: `status=success` (spec §8: the shape is UNCONFIRMED, this is its
 * suggestion), with `state` and the same `location`, `accounts-server` (the refresh token's DC) and `iss` (`at`, the
 * accounts server that answered) as the authorization redirect.
 */
export async function acceptScopeEnhancement(
  request: ScopeEnhancementRequest,
  by: AuditContext,
  deps: ScopeEnhancementDeps,
  at: DataCenter,
): Promise<string> {
  const now = deps.now();
  const applied = await deps.storage.transaction(async (tx) => {
    if (!(await tx.tokens.consumeScopeEnhancementToken(request.enhanceTokenId, now))) return undefined;
    // Two enhancements of one refresh token (two tokens, two tabs) must not each write its union over the other's.
    await tx.lock(`scopes:${request.refreshTokenId}`);
    const refreshToken = await tx.tokens.findRefreshToken(request.refreshTokenId);
    if (!refreshToken) return undefined;
    const granted = grantedScopes(refreshToken.scopes, deps.scopes);
    const added = grantedScopes(request.newScopes, deps.scopes).filter((scope) => !anyCovers(granted, scope));
    if (added.length > 0) {
      await tx.tokens.setRefreshTokenScopes(refreshToken.id, formatScopes([...granted, ...added]));
      await tx.consents.grant(request.userZuid, request.clientId, formatScopes(added), now);
    }
    const entry = { type: 'grant.scopes.enhanced', userZuid: request.userZuid, clientId: request.clientId } as const;
    await deps.audit.appendIn(tx.auditEvents, by, { ...entry, subject: formatScopes(added) });
    return refreshToken;
  });
  if (!applied) throw new AuthorizationFailure(enhanceTokenUnknown(), { ...request, responseMode: 'query' });
  return redirectWith(request.redirectUri, 'query', {
    status: 'success',
    state: request.state,
    ...dataCenterRedirectParams(applied.dc ?? null, at, deps.config.dataCenters),
  });
}

/** The user declined: `error=access_denied` with `state` (spec §8's suggestion). The grant and the token stay as they were. */
export function declineScopeEnhancement(request: ScopeEnhancementRequest, at: DataCenter): string {
  const denied = accessDenied('user_denied', 'The user rejected the request.');
  return errorRedirect({ ...request, responseMode: 'query' }, denied, at.issuer);
}

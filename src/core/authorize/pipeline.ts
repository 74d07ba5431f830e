import { checkResource } from './checks/check-resource.js';
import { isImplicit } from './authorization-parameters.js';
import type { RequestParams } from '../params/request-params.js';
import { isOAuthError } from '../errors/oauth-error.js';
import {
  AuthorizationFailure,
  type AuthorizationCheck,
  type AuthorizationCheckDeps,
  type AuthorizationContext,
  type AuthorizationRequest,
} from './authorization-request.js';
import { checkAccessType } from './checks/check-access-type.js';
import { checkAcr } from './checks/check-acr.js';
import { checkClaims } from './checks/check-claims.js';
import { checkClient } from './checks/check-client.js';
import { checkExpectedSubject } from './checks/check-expected-subject.js';
import { checkMaxAge } from './checks/check-max-age.js';
import { checkPkce } from './checks/check-pkce.js';
import { checkPrompt } from './checks/check-prompt.js';
import { checkPushed } from './checks/check-pushed.js';
import { checkRedirectUri } from './checks/check-redirect-uri.js';
import { checkRequestObject } from './checks/check-request-object.js';
import { checkResponseType } from './checks/check-response-type.js';
import { checkScope } from './checks/check-scope.js';

/**
 * The authorization endpoint's checks, in order. The first three decide whether errors may be redirected at all; the
 * rest report to the client through the redirect. Each check is one file and reads like a line of the spec.
 */
export const AUTHORIZE_PIPELINE: { beforeRedirect: readonly AuthorizationCheck[]; afterRedirect: readonly AuthorizationCheck[] } = {
  beforeRedirect: [checkClient, checkPushed, checkRequestObject, checkRedirectUri],
  afterRedirect: [
    checkResponseType,
    checkScope,
    checkResource,
    checkPkce,
    checkAccessType,
    checkPrompt,
    checkMaxAge,
    checkClaims,
    checkAcr,
    checkExpectedSubject,
  ],
};

/**
 * Runs the pipeline; resolves to the validated request, or throws an AuthorizationFailure saying where the error goes.
 * `pushed`: the parameters came to the pushed authorization request endpoint (RFC 9126), which is where a client that
 * must push sends them.
 */
export async function validateAuthorizationRequest(
  params: RequestParams,
  deps: AuthorizationCheckDeps,
  pushed = false,
): Promise<AuthorizationRequest> {
  const context: AuthorizationContext = { params, pushed };
  try {
    for (const check of AUTHORIZE_PIPELINE.beforeRedirect) await check(context, deps);
  } catch (err) {
    if (isOAuthError(err)) throw new AuthorizationFailure(err);
    throw err;
  }
  // From here on, the parameters are the request object's when there was one.
  params = context.params;
  const state = params.get('state') ?? null;
  try {
    for (const check of AUTHORIZE_PIPELINE.afterRedirect) await check(context, deps);
  } catch (err) {
    if (!isOAuthError(err)) throw err;
    // Without a usable response mode, the default of the response type: tokens never travel in the query.
    const responseMode = context.responseMode ?? (isImplicit(context.responseType) ? 'fragment' : 'query');
    throw new AuthorizationFailure(err, { redirectUri: context.redirectUri!, responseMode, state });
  }
  return {
    clientId: context.client!.clientId,
    redirectUri: context.redirectUri!,
    responseType: context.responseType!,
    responseMode: context.responseMode!,
    scope: context.scopes!.map((s) => s.name).join(' '),
    state,
    accessType: context.accessType!,
    prompts: context.prompts!,
    codeChallenge: context.codeChallenge!,
    codeChallengeMethod: context.codeChallengeMethod!,
    nonce: params.get('nonce') ?? null,
    maxAge: context.maxAge!,
    multiFactor: context.multiFactor!,
    loginHint: params.get('login_hint') ?? null,
    expectedSubject: context.expectedSubject!,
    ...(context.resources === undefined ? {} : { resources: context.resources }),
  };
}

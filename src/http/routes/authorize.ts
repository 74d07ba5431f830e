import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { byUser } from '../../core/audit/audit-log.js';
import { approveAuthorization } from '../../core/authorize/approve.js';
import { authenticationStep, type AuthenticationStep } from '../../core/authorize/authentication.js';
import { AuthorizationFailure, type AuthorizationRequest } from '../../core/authorize/authorization-request.js';
import { needsConsent } from '../../core/authorize/consent.js';
import { finishInteraction, startInteraction } from '../../core/authorize/interactions.js';
import { validateAuthorizationRequest } from '../../core/authorize/pipeline.js';
import { errorRedirect } from '../../core/authorize/redirect.js';
import { demandSignIn, SIGN_IN_DEMAND_PARAM, signInDemandedAt } from '../../core/authorize/sign-in-demand.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import {
  accessDenied,
  consentRequired,
  interactionRequired,
  loginRequired,
  unmetAuthenticationRequirements,
} from '../../core/errors/oauth-error.js';
import { grantedScopes } from '../../core/grants/granted-scopes.js';
import { hasSecondFactor } from '../../core/mfa/second-factor.js';
import type { SignIn } from '../../core/sessions/sessions.js';
import type { User } from '../../core/users/user.js';
import { consentPage } from '../../ui/pages/consent.js';
import { authorizationCheckDeps, signedInAs } from '../browser/authorization-deps.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { checkClientServesUser } from '../browser/client-data-center.js';
import { interactionAnswered, PageError, signedOutBeforeAnswer } from '../browser/page-error.js';
import { requestDataCenter } from '../data-center.js';
import { requestParams } from '../request-params.js';

/**
 * The authorization endpoint (RFC 6749 §3.1, spec §2): validate, make sure someone is signed in, ask for consent when
 * needed, then send the browser back with a code or token. The request survives sign-in because the sign-in page
 * returns to this very URL.
 */
export function authorizeRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf } = context;
  const { storage, config } = gatehouse;
  const checkDeps = authorizationCheckDeps(gatehouse);
  const interactionDeps = { interactions: storage.interactions, hasher: gatehouse.hasher, now: gatehouse.now };

  /**
   * Sends a user who must first choose a password or add a required factor to that page and back, if they must;
   * with `prompt=none` the request fails with `interaction_required` instead.
   */
  const detourFirst = async (
    request: FastifyRequest,
    reply: FastifyReply,
    authorization: AuthorizationRequest,
    user: User,
  ): Promise<FastifyReply | undefined> => {
    const detour = await context.detourFor(user, request.url);
    if (detour === undefined) return undefined;
    if (!authorization.prompts.includes('none')) return reply.redirect(detour, 303);
    throw new AuthorizationFailure(interactionRequired('interaction_needed', 'The user must complete their account first.'), authorization);
  };

  /**
   * Takes the browser where the request's sign-in is made (a fresh one, or the second step of a step-up) and back to
   * this request; with `prompt=none`, which shows no page, the request fails instead (OpenID Connect Core §3.1.2.6).
   */
  const authenticate = async (
    request: FastifyRequest,
    reply: FastifyReply,
    authorization: AuthorizationRequest,
    signIn: SignIn | undefined,
    step: Exclude<AuthenticationStep, 'done'>,
  ): Promise<FastifyReply> => {
    if (step === 'second_factor' && !(await hasSecondFactor(signIn!.user.zuid, gatehouse))) {
      // A user the policy asks to add a factor adds it now, then steps up with it; anyone else has none to give.
      const detour = await detourFirst(request, reply, authorization, signIn!.user);
      if (detour) return detour;
      throw new AuthorizationFailure(
        unmetAuthenticationRequirements('multi_factor_unavailable', 'The request asks for a second factor, and the user has none.'),
        authorization,
      );
    }
    if (authorization.prompts.includes('none')) {
      const why = step === 'second_factor' ? 'The request asks for a second factor.' : 'The user must sign in.';
      throw new AuthorizationFailure(loginRequired('login_needed', why), authorization);
    }
    if (step === 'second_factor') return context.toSecondStep(reply, signIn!.user.zuid, request.url);
    if (step === 'sign_in') return context.redirectToSignIn(reply, request.url);
    return context.redirectToSignIn(reply, withSignInDemand(request.url, demandSignIn(authorization, gatehouse)), { fresh: true });
  };

  app.get(ENDPOINT_PATHS.authorize, async (request, reply) => {
    const params = requestParams(request, config.maxParameterLength);
    const authorization = await validateAuthorizationRequest(params, checkDeps);
    const signIn = await context.currentSignIn(request);
    const demandedAt = signInDemandedAt(params.get(SIGN_IN_DEMAND_PARAM), authorization, gatehouse);
    const step = authenticationStep(authorization, signIn, gatehouse.now(), demandedAt);
    if (step !== 'done') return authenticate(request, reply, authorization, signIn, step);
    const user = signIn!.user;
    if (authorization.expectedSubject !== null && authorization.expectedSubject !== user.zuid) {
      throw new AuthorizationFailure(loginRequired('login_needed', 'The signed-in user is not the one the request names.'), authorization);
    }
    // Still on a one-time password, or without a factor the policy requires: that page first, then back here.
    const detour = await detourFirst(request, reply, authorization, user);
    if (detour) return detour;
    const client = (await storage.clients.find(authorization.clientId))!;
    checkClientServesUser(client, user, context);
    if (!needsConsent(authorization, await storage.consents.find(user.zuid, client.clientId), gatehouse.scopes)) {
      const at = requestDataCenter(request, config.dataCenters);
      return reply.redirect(await approveAuthorization(authorization, client, signedInAs(signIn!), false, gatehouse, at), 303);
    }
    if (authorization.prompts.includes('none')) {
      throw new AuthorizationFailure(
        consentRequired('consent_needed', 'The user has not granted these scopes to this application.'),
        authorization,
      );
    }
    const interaction = await startInteraction(authorization, user.zuid, interactionDeps);
    return reply.type('text/html; charset=utf-8').send(
      consentPage({
        csrf: csrf.token(request, reply),
        answer: { action: '/oauth/v2/auth/consent', fields: { interaction } },
        user,
        client,
        // One read, only where a page is shown: a client's dynamic registration lives outside its row.
        registeredDynamically: (await storage.registrations.find(client.clientId)) !== undefined,
        scopes: gatehouse.scopes.inWords(grantedScopes(authorization.scope, gatehouse.scopes)),
        offline: authorization.accessType === 'offline',
      }),
    );
  });

  app.post('/oauth/v2/auth/consent', async (request, reply) => {
    const params = requestParams(request, config.maxParameterLength);
    csrf.verify(request, params);
    const signIn = await context.currentSignIn(request);
    const user = signIn?.user;
    if (!signIn || !user) throw signedOutBeforeAnswer();
    // Checked before the interaction is taken: a malformed answer must not use up the page's one answer.
    const decision = params.get('decision');
    if (decision !== 'accept' && decision !== 'reject')
      throw new PageError(400, 'This request is not valid', 'Choose Accept or Reject.', 'invalid_request');
    const authorization = await finishInteraction(params.require('interaction'), user.zuid, interactionDeps);
    if (!authorization) throw interactionAnswered();
    const client = await storage.clients.find(authorization.clientId);
    if (!client) throw new PageError(400, 'Unknown application', 'This application no longer exists.', 'client_unknown');
    checkClientServesUser(client, user, context);
    const at = requestDataCenter(request, config.dataCenters);

    if (decision === 'reject') {
      return reply.redirect(errorRedirect(authorization, accessDenied('user_denied', 'The user rejected the request.'), at.issuer), 303);
    }
    await storage.consents.grant(user.zuid, client.clientId, authorization.scope, gatehouse.now());
    const consent = { type: 'consent.granted', userZuid: user.zuid, clientId: client.clientId, subject: authorization.scope } as const;
    await gatehouse.audit.record(byUser(user, request.ip), consent);
    return reply.redirect(await approveAuthorization(authorization, client, signedInAs(signIn), true, gatehouse, at), 303);
  });
}

/** This request's URL with the mark of the sign-in it asked for (an earlier mark replaced, so it is never repeated). */
function withSignInDemand(url: string, mark: string): string {
  const [path, query = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set(SIGN_IN_DEMAND_PARAM, mark);
  return `${path}?${params}`;
}

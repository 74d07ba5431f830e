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
import { continuationQuery, takePushedAuthorization } from '../../core/par/pushed-authorization.js';
import type { RequestParams } from '../../core/params/request-params.js';
import type { SignIn } from '../../core/sessions/sessions.js';
import type { User } from '../../core/users/user.js';
import { consentPage } from '../../ui/pages/consent.js';
import { authorizationCheckDeps, signedInAs } from '../browser/authorization-deps.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { checkClientServesUser } from '../browser/client-data-center.js';
import { interactionAnswered, PageError, signedOutBeforeAnswer } from '../browser/page-error.js';
import { requestDataCenter } from '../data-center.js';
import { requestParams } from '../request-params.js';

/** The path that brings the browser back to the request after a detour; made only when it must leave. */
type ReturnTo = () => Promise<string>;

/**
 * The authorization endpoint (RFC 6749 §3.1, spec §2): validate, make sure someone is signed in, ask for consent when
 * needed, then send the browser back with a code or token. The request survives sign-in because the sign-in page
 * returns to this very URL (a pushed request, used up at first sight, to a fresh request_uri for it).
 */
export function authorizeRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf } = context;
  const { storage, config } = gatehouse;
  const checkDeps = authorizationCheckDeps(gatehouse);
  const interactionDeps = { interactions: storage.interactions, hasher: gatehouse.hasher, now: gatehouse.now };
  const parkingDeps = { pushedRequests: storage.pushedRequests, hasher: gatehouse.hasher, now: gatehouse.now };

  /**
   * The request this URL carries: its own parameters, validated, or a pushed one its request_uri names (RFC 9126 §4),
   * taken. With how to come back to it after a detour: the same URL, or for a pushed request (used up by now) a fresh
   * request_uri, made only when the browser must leave.
   */
  const authorizationOf = async (request: FastifyRequest, params: RequestParams): Promise<[AuthorizationRequest, ReturnTo]> => {
    if (params.get('request_uri') === undefined) {
      return [await validateAuthorizationRequest(params, checkDeps), async () => request.url];
    }
    const authorization = await takePushedAuthorization(params, parkingDeps);
    const path = request.url.split('?', 1)[0]!;
    return [authorization, async () => `${path}?${await continuationQuery(authorization, parkingDeps)}`];
  };

  /**
   * Sends a user who must first choose a password or add a required factor to that page and back, if they must;
   * with `prompt=none` the request fails with `interaction_required` instead.
   */
  const detourFirst = async (
    reply: FastifyReply,
    authorization: AuthorizationRequest,
    user: User,
    returnTo: ReturnTo,
  ): Promise<FastifyReply | undefined> => {
    const detour = await context.detourFor(user, returnTo);
    if (detour === undefined) return undefined;
    if (!authorization.prompts.includes('none')) return reply.redirect(detour, 303);
    throw new AuthorizationFailure(interactionRequired('interaction_needed', 'The user must complete their account first.'), authorization);
  };

  /**
   * Takes the browser where the request's sign-in is made (a fresh one, or the second step of a step-up) and back to
   * this request; with `prompt=none`, which shows no page, the request fails instead (OpenID Connect Core §3.1.2.6).
   */
  const authenticate = async (
    reply: FastifyReply,
    authorization: AuthorizationRequest,
    signIn: SignIn | undefined,
    step: Exclude<AuthenticationStep, 'done'>,
    returnTo: ReturnTo,
  ): Promise<FastifyReply> => {
    if (step === 'second_factor' && !(await hasSecondFactor(signIn!.user.zuid, gatehouse))) {
      // A user the policy asks to add a factor adds it now, then steps up with it; anyone else has none to give.
      const detour = await detourFirst(reply, authorization, signIn!.user, returnTo);
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
    if (step === 'second_factor') return context.toSecondStep(reply, signIn!.user.zuid, await returnTo());
    if (step === 'sign_in') return context.redirectToSignIn(reply, await returnTo());
    return context.redirectToSignIn(reply, withSignInDemand(await returnTo(), demandSignIn(authorization, gatehouse)), { fresh: true });
  };

  app.get(ENDPOINT_PATHS.authorize, async (request, reply) => {
    const params = requestParams(request, config.maxParameterLength);
    const [authorization, returnTo] = await authorizationOf(request, params);
    const signIn = await context.currentSignIn(request);
    const demandedAt = signInDemandedAt(params.get(SIGN_IN_DEMAND_PARAM), authorization, gatehouse);
    const step = authenticationStep(authorization, signIn, gatehouse.now(), demandedAt);
    if (step !== 'done') return authenticate(reply, authorization, signIn, step, returnTo);
    const user = signIn!.user;
    if (authorization.expectedSubject !== null && authorization.expectedSubject !== user.zuid) {
      throw new AuthorizationFailure(loginRequired('login_needed', 'The signed-in user is not the one the request names.'), authorization);
    }
    // Still on a one-time password, or without a factor the policy requires: that page first, then back here.
    const detour = await detourFirst(reply, authorization, user, returnTo);
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

  /**
   * OpenID Connect Core §3.1.2.1: the authorization endpoint takes POST (a form) as well as GET. A POSTed request goes
   * on as the GET with the same parameters: that URL is what survives sign-in (the sign-in page returns to it), and a
   * cross-site form POST carries no SameSite=Lax session cookie, while the top-level GET it is sent on to does.
   * Repeated and oversized parameters are refused here, as the GET would refuse them.
   */
  app.post(ENDPOINT_PATHS.authorize, async (request, reply) => {
    const query = new URLSearchParams([...requestParams(request, config.maxParameterLength).entries()]).toString();
    if (query.length > MAX_POSTED_QUERY) {
      throw new PageError(400, 'This request is not valid', 'The authorization request is too long.', 'invalid_request');
    }
    return reply.redirect(`${ENDPOINT_PATHS.authorize}?${query}`, 303);
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

/** The longest query a POSTed authorization request is sent on with: well within what servers take in a request line. */
const MAX_POSTED_QUERY = 8192;

/** This request's URL with the mark of the sign-in it asked for (an earlier mark replaced, so it is never repeated). */
function withSignInDemand(url: string, mark: string): string {
  const [path, query = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set(SIGN_IN_DEMAND_PARAM, mark);
  return `${path}?${params}`;
}

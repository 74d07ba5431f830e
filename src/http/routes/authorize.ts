import type { FastifyInstance } from 'fastify';
import { byUser } from '../../core/audit/audit-log.js';
import { approveAuthorization } from '../../core/authorize/approve.js';
import { AuthorizationFailure } from '../../core/authorize/authorization-request.js';
import { needsConsent } from '../../core/authorize/consent.js';
import { finishInteraction } from '../../core/authorize/interactions.js';
import { errorRedirect } from '../../core/authorize/redirect.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { accessDenied, consentRequired } from '../../core/errors/oauth-error.js';
import { authorizationGate } from '../browser/authorization-gate.js';
import { signedInAs } from '../browser/authorization-deps.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { consentDecision } from '../browser/consent-decision.js';
import { sendConsentPage } from '../browser/consent-page.js';
import { checkClientServesUser } from '../browser/client-data-center.js';
import { interactionAnswered, PageError, signedOutBeforeAnswer } from '../browser/page-error.js';
import { requestDataCenter } from '../data-center.js';
import { requestParams } from '../request-params.js';

/**
 * The authorization endpoint (RFC 6749 §3.1, spec §2): validate, make sure someone is signed in, ask for consent when
 * needed, then send the browser back with a code or token. The request survives sign-in because the sign-in page
 * returns to this very URL (a pushed request, used up at first sight, to a fresh request_uri for it).
 */
export function authorizeRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf } = context;
  const { storage, config } = gatehouse;
  const gate = authorizationGate(context);
  const interactionDeps = { interactions: storage.interactions, hasher: gatehouse.hasher, now: gatehouse.now };

  app.get(ENDPOINT_PATHS.authorize, async (request, reply) => {
    const params = requestParams(request, config.maxParameterLength);
    const [authorization, returnTo] = await gate.authorizationOf(request, params);
    const outcome = await gate.signedIn(request, reply, params, authorization, returnTo);
    if ('reply' in outcome) return outcome.reply;
    const { signIn } = outcome;
    const user = signIn.user;
    const client = (await storage.clients.find(authorization.clientId))!;
    checkClientServesUser(client, user, context);
    if (!needsConsent(authorization, await storage.consents.find(user.zuid, client.clientId), gatehouse.scopes)) {
      const at = requestDataCenter(request, config.dataCenters);
      return reply.redirect(await approveAuthorization(authorization, client, signedInAs(signIn), false, gatehouse, at), 303);
    }
    if (authorization.prompts.includes('none')) {
      throw new AuthorizationFailure(
        consentRequired('consent_needed', 'The user has not granted these scopes to this application.'),
        authorization,
      );
    }
    return sendConsentPage(context, request, reply, {
      kind: 'authorize',
      pending: authorization,
      answerPath: '/oauth/v2/auth/consent',
      user,
      client,
      scope: authorization.scope,
      offline: authorization.accessType === 'offline',
    });
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
    const decision = consentDecision(params);
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

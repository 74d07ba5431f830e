import type { FastifyInstance } from 'fastify';
import { byUser } from '../../core/audit/audit-log.js';
import { approveAuthorization } from '../../core/authorize/approve.js';
import { AuthorizationFailure } from '../../core/authorize/authorization-request.js';
import { needsConsent } from '../../core/authorize/consent.js';
import { finishInteraction, startInteraction } from '../../core/authorize/interactions.js';
import { validateAuthorizationRequest } from '../../core/authorize/pipeline.js';
import { errorRedirect } from '../../core/authorize/redirect.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { accessDenied, consentRequired, loginRequired } from '../../core/errors/oauth-error.js';
import { grantedScopes } from '../../core/grants/granted-scopes.js';
import { consentPage } from '../../ui/pages/consent.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { PageError } from '../browser/page-error.js';
import { requestParams } from '../request-params.js';

const answeredAlready = () =>
  new PageError(
    400,
    'This request was already answered',
    'This consent page was answered already, or it was open too long. Start again from the application.',
    'interaction_unknown',
  );

/**
 * The authorization endpoint (RFC 6749 §3.1, spec §2): validate, make sure someone is signed in, ask for consent when
 * needed, then send the browser back with a code or token. The request survives sign-in because the sign-in page
 * returns to this very URL.
 */
export function authorizeRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf } = context;
  const { storage, config } = gatehouse;
  const checkDeps = { findClient: (id: string) => storage.clients.find(id), parseScopes: (raw: string) => gatehouse.scopes.parse(raw) };
  const interactionDeps = { interactions: storage.interactions, hasher: gatehouse.hasher, now: gatehouse.now };

  app.get(ENDPOINT_PATHS.authorize, async (request, reply) => {
    const authorization = await validateAuthorizationRequest(requestParams(request, config.maxParameterLength), checkDeps);
    const signIn = await context.currentSignIn(request);
    const signedIn = signIn?.user;
    if (!signedIn && authorization.prompt === 'none') {
      throw new AuthorizationFailure(loginRequired('login_needed', 'The user is not signed in.'), authorization);
    }
    // Signed out: to sign-in; still on a one-time password: to choose one. Either way back here afterwards.
    const user = await context.readyOrDetour(request, reply, signedIn);
    if (!user) return reply;
    const client = (await storage.clients.find(authorization.clientId))!;
    if (!needsConsent(authorization, await storage.consents.find(user.zuid, client.clientId), gatehouse.scopes)) {
      return reply.redirect(
        await approveAuthorization(authorization, client, { userZuid: user.zuid, amr: signIn!.amr, sid: signIn!.sid }, false, gatehouse),
        303,
      );
    }
    if (authorization.prompt === 'none') {
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
    if (!signIn || !user)
      throw new PageError(
        401,
        'You are signed out',
        'Your session ended before you answered. Start again from the application.',
        'login_required',
      );
    // Checked before the interaction is taken: a malformed answer must not use up the page's one answer.
    const decision = params.get('decision');
    if (decision !== 'accept' && decision !== 'reject')
      throw new PageError(400, 'This request is not valid', 'Choose Accept or Reject.', 'invalid_request');
    const authorization = await finishInteraction(params.require('interaction'), user.zuid, interactionDeps);
    if (!authorization) throw answeredAlready();
    const client = await storage.clients.find(authorization.clientId);
    if (!client) throw new PageError(400, 'Unknown application', 'This application no longer exists.', 'client_unknown');

    if (decision === 'reject') {
      return reply.redirect(
        errorRedirect(authorization, accessDenied('user_denied', 'The user rejected the request.'), config.issuer),
        303,
      );
    }
    await storage.consents.grant(user.zuid, client.clientId, authorization.scope, gatehouse.now());
    const consent = { type: 'consent.granted', userZuid: user.zuid, clientId: client.clientId, subject: authorization.scope } as const;
    await gatehouse.audit.record(byUser(user, request.ip), consent);
    return reply.redirect(
      await approveAuthorization(authorization, client, { userZuid: user.zuid, amr: signIn.amr, sid: signIn.sid }, true, gatehouse),
      303,
    );
  });
}

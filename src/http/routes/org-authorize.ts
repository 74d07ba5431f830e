import type { FastifyInstance } from 'fastify';
import { byUser } from '../../core/audit/audit-log.js';
import { AuthorizationFailure, type AuthorizationRequest } from '../../core/authorize/authorization-request.js';
import { finishInteractionOf } from '../../core/authorize/interactions.js';
import { approveOrgAuthorization, checkOrgAuthorizationRequest, grantableOrganisations } from '../../core/authorize/org-authorization.js';
import { errorRedirect } from '../../core/authorize/redirect.js';
import type { Client } from '../../core/clients/client.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { accessDenied, consentRequired } from '../../core/errors/oauth-error.js';
import { signedInAs } from '../browser/authorization-deps.js';
import { authorizationGate } from '../browser/authorization-gate.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { consentDecision } from '../browser/consent-decision.js';
import { sendConsentPage } from '../browser/consent-page.js';
import { interactionAnswered, notOrgAdministrator, PageError, signedOutBeforeAnswer } from '../browser/page-error.js';
import { requestDataCenter } from '../data-center.js';
import { requestParams } from '../request-params.js';

const ANSWER_PATH = `${ENDPOINT_PATHS.orgAuthorize}/consent`;

/**
 * Org-level authorization (spec §0, `core/authorize/org-authorization.ts`): the authorization endpoint's request and
 * sign-in, then a consent page where an administrator picks the organisation; the code acts for it. The page is shown
 * every time (nothing org-wide is granted without one), so `prompt=none` is always `consent_required`.
 */
export function orgAuthorizeRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf } = context;
  const { storage, config } = gatehouse;
  const gate = authorizationGate(context);
  const interactionDeps = { interactions: storage.interactions, hasher: gatehouse.hasher, now: gatehouse.now };
  const grantable = (userZuid: string, client: Client) =>
    grantableOrganisations(userZuid, client, { organisations: storage.organisations, dataCenters: config.dataCenters });

  app.get(ENDPOINT_PATHS.orgAuthorize, async (request, reply) => {
    const params = requestParams(request, config.maxParameterLength);
    const [authorization, returnTo] = await gate.authorizationOf(request, params);
    checkOrgAuthorizationRequest(authorization);
    const outcome = await gate.signedIn(request, reply, params, authorization, returnTo);
    if ('reply' in outcome) return outcome.reply;
    const user = outcome.signIn.user;
    const client = (await storage.clients.find(authorization.clientId))!;
    const organisations = await grantable(user.zuid, client);
    if (organisations.length === 0) {
      const why = 'The signed-in user administers no organisation this application may be granted.';
      throw new AuthorizationFailure(accessDenied('no_org_administered', why), authorization);
    }
    if (authorization.prompts.includes('none')) {
      throw new AuthorizationFailure(consentRequired('consent_needed', 'An organisation-wide grant is always asked for.'), authorization);
    }
    return sendConsentPage(context, request, reply, {
      kind: 'org_authorize',
      pending: authorization,
      answerPath: ANSWER_PATH,
      user,
      client,
      scope: authorization.scope,
      offline: authorization.accessType === 'offline',
      organisations: organisations.map(({ id, name }) => ({ id, name })),
    });
  });

  app.post(ANSWER_PATH, async (request, reply) => {
    const params = requestParams(request, config.maxParameterLength);
    csrf.verify(request, params);
    const signIn = await context.currentSignIn(request);
    if (!signIn) throw signedOutBeforeAnswer();
    const user = signIn.user;
    const decision = consentDecision(params);
    // The organisation too: an accept without one would use the page up for nothing.
    const orgId = params.get('org');
    if (decision === 'accept' && orgId === undefined)
      throw new PageError(400, 'This request is not valid', 'Choose the organisation to grant access to.', 'invalid_request');
    const authorization = await finishInteractionOf<AuthorizationRequest>(
      'org_authorize',
      params.require('interaction'),
      user.zuid,
      interactionDeps,
    );
    if (!authorization) throw interactionAnswered();
    const client = await storage.clients.find(authorization.clientId);
    if (!client) throw new PageError(400, 'Unknown application', 'This application no longer exists.', 'client_unknown');
    const at = requestDataCenter(request, config.dataCenters);
    if (decision === 'reject') {
      return reply.redirect(errorRedirect(authorization, accessDenied('user_denied', 'The user rejected the request.'), at.issuer), 303);
    }
    // Checked now, not only when the page was shown: the user may have stopped administering it meanwhile, and the
    // form's value is whatever the browser sent.
    const organisation = (await grantable(user.zuid, client)).find((org) => org.id === orgId);
    if (!organisation) throw notOrgAdministrator('grant an application access to it; start again from the application');
    await gatehouse.audit.record(byUser(user, request.ip), {
      type: 'org.grant.approved',
      userZuid: user.zuid,
      clientId: client.clientId,
      subject: organisation.id,
      detail: `${organisation.name}: ${authorization.scope}`,
    });
    return reply.redirect(await approveOrgAuthorization(authorization, client, signedInAs(signIn), organisation, gatehouse, at), 303);
  });
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyInstance } from 'fastify';
import { byUser } from '../../core/audit/audit-log.js';
import { finishInteractionOf } from '../../core/authorize/interactions.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import {
  acceptScopeEnhancement,
  declineScopeEnhancement,
  validateScopeEnhancement,
  type ScopeEnhancementRequest,
} from '../../core/incremental/scope-enhancement.js';
import type { User } from '../../core/users/user.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { consentDecision } from '../browser/consent-decision.js';
import { sendConsentPage } from '../browser/consent-page.js';
import { interactionAnswered, PageError, signedOutBeforeAnswer } from '../browser/page-error.js';
import { requestDataCenter } from '../data-center.js';
import { requestParams } from '../request-params.js';

const ANSWER_PATH = `${ENDPOINT_PATHS.addExtraScope}/consent`;

/**
 * Incremental authorization's browser step (spec §8): `GET /oauth/v2/token/addextrascope` shows the user who owns the
 * refresh token only the scopes it does not carry yet, and the CSRF-protected answer widens the grant or declines.
 * Signing in comes first, through the same detour as the authorization endpoint, back to this very URL.
 */
export function addExtraScopeRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf } = context;
  const interactionDeps = { interactions: gatehouse.storage.interactions, hasher: gatehouse.hasher, now: gatehouse.now };

  app.get(ENDPOINT_PATHS.addExtraScope, async (request, reply) => {
    const enhancement = await validateScopeEnhancement(requestParams(request, gatehouse.config.maxParameterLength), gatehouse);
    const user = await context.userOrDetour(request, reply);
    if (!user) return reply;
    if (user.zuid !== enhancement.userZuid) throw otherAccount();
    // Nothing new to ask: the grant already covers every scope requested.
    if (enhancement.newScopes === '') return finish(request, reply, enhancement, user, 'accept');

    const client = (await gatehouse.storage.clients.find(enhancement.clientId))!;
    return sendConsentPage(context, request, reply, {
      kind: 'scope_enhancement',
      pending: enhancement,
      answerPath: ANSWER_PATH,
      user,
      client,
      scope: enhancement.newScopes,
      offline: true,
      additional: true,
    });
  });

  app.post(ANSWER_PATH, async (request, reply) => {
    const params = requestParams(request, gatehouse.config.maxParameterLength);
    csrf.verify(request, params);
    const user = await context.currentUser(request);
    if (!user) throw signedOutBeforeAnswer();
    const decision = consentDecision(params);
    const enhancement = await finishInteractionOf<ScopeEnhancementRequest>(
      'scope_enhancement',
      params.require('interaction'),
      user.zuid,
      interactionDeps,
    );
    if (!enhancement) throw interactionAnswered();
    return finish(request, reply, enhancement, user, decision);
  });

  /** Applies the decision, ends the session when the request said `logout=true`, and goes back to the client. */
  async function finish(
    request: FastifyRequest,
    reply: FastifyReply,
    enhancement: ScopeEnhancementRequest,
    user: User,
    decision: 'accept' | 'reject',
  ): Promise<FastifyReply> {
    const at = requestDataCenter(request, gatehouse.config.dataCenters);
    const location =
      decision === 'accept'
        ? await acceptScopeEnhancement(enhancement, byUser(user, request.ip), gatehouse, at)
        : declineScopeEnhancement(enhancement, at);
    if (enhancement.logout) {
      await context.endSession(request, reply);
    }
    return reply.redirect(location, 303);
  }
}

/** Signed in, but not as the user whose grant the enhancement token widens: refused, and nothing is used up. */
const otherAccount = () =>
  new PageError(
    403,
    'Signed in as another account',
    'This request adds access to another account’s grant. Sign out, sign in with the account that allowed this application, and try again.',
    'account_mismatch',
  );

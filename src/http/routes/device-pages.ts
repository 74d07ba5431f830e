import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { byUser } from '../../core/audit/audit-log.js';
import { answerDeviceAuthorization, findWaitingAuthorization } from '../../core/device/answer.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { grantedScopes } from '../../core/grants/granted-scopes.js';
import type { User } from '../../core/users/user.js';
import { consentPage } from '../../ui/pages/consent.js';
import { deviceAnsweredPage, deviceCodePage } from '../../ui/pages/device.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { checkClientServesUser } from '../browser/client-data-center.js';
import { PageError } from '../browser/page-error.js';
import { requestParams } from '../request-params.js';

const CONSENT_PATH = `${ENDPOINT_PATHS.deviceVerification}/consent`;

/**
 * The user's side of the device flow (RFC 8628 §3.3): sign in, type the code the device shows (or arrive with it in
 * the link, `verification_uri_complete`, and still confirm), see what the device asks for, accept or reject.
 */
export function devicePageRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf } = context;
  const { config } = gatehouse;

  const codePage = (request: FastifyRequest, reply: FastifyReply, user: User, value: string, error?: string, status = 200) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(deviceCodePage({ csrf: csrf.token(request, reply), user, value, ...(error ? { error } : {}) }));

  app.get<{ Querystring: { user_code?: string } }>(ENDPOINT_PATHS.deviceVerification, async (request, reply) => {
    const user = await context.userOrDetour(request, reply);
    if (!user) return reply;
    return codePage(request, reply, user, request.query.user_code ?? '');
  });

  app.post(ENDPOINT_PATHS.deviceVerification, async (request, reply) => {
    const params = requestParams(request, config.maxParameterLength);
    csrf.verify(request, params);
    const user = await signedIn(request);
    const typed = params.get('user_code') ?? '';
    const waiting = await findWaitingAuthorization(typed, user.zuid, gatehouse);
    if (!waiting.found) {
      const error =
        waiting.why === 'throttled'
          ? `Too many codes tried. Try again in ${Math.ceil((waiting.retryAfter ?? 60) / 60)} minutes.`
          : 'That code is not valid, or it has expired. Check the code on your device, or start again there.';
      return codePage(request, reply, user, typed, error, waiting.why === 'throttled' ? 429 : 400);
    }
    const { client, authorization } = waiting;
    checkClientServesUser(client, user, context);
    return reply.type('text/html; charset=utf-8').send(
      consentPage({
        csrf: csrf.token(request, reply),
        answer: { action: CONSENT_PATH, fields: { user_code: typed } },
        user,
        client,
        registeredDynamically: (await gatehouse.storage.registrations.find(client.clientId)) !== undefined,
        scopes: gatehouse.scopes.inWords(grantedScopes(authorization.scopes, gatehouse.scopes)),
        offline: authorization.offline,
      }),
    );
  });

  app.post(CONSENT_PATH, async (request, reply) => {
    const params = requestParams(request, config.maxParameterLength);
    csrf.verify(request, params);
    const user = await signedIn(request);
    const decision = params.get('decision');
    if (decision !== 'accept' && decision !== 'reject') {
      throw new PageError(400, 'This request is not valid', 'Choose Accept or Reject.', 'invalid_request');
    }
    const waiting = await findWaitingAuthorization(params.get('user_code') ?? '', user.zuid, gatehouse);
    if (waiting.found) checkClientServesUser(waiting.client, user, context);
    if (!waiting.found || !(await answerDeviceAuthorization(waiting, decision === 'accept', user.zuid, gatehouse))) {
      throw new PageError(
        400,
        'This request was already answered',
        'This code was answered already, or it expired. Start again on your device.',
        'interaction_unknown',
      );
    }
    if (decision === 'accept') {
      const { client, authorization } = waiting;
      const consent = { type: 'consent.granted', userZuid: user.zuid, clientId: client.clientId, subject: authorization.scopes } as const;
      await gatehouse.audit.record(byUser(user, request.ip), consent);
    }
    return reply
      .type('text/html; charset=utf-8')
      .send(
        deviceAnsweredPage({ csrf: csrf.token(request, reply), user, clientName: waiting.client.name, approved: decision === 'accept' }),
      );
  });

  async function signedIn(request: FastifyRequest): Promise<User> {
    const user = await context.currentUser(request);
    if (!user) {
      throw new PageError(401, 'You are signed out', 'Your session ended before you answered. Open the link again.', 'login_required');
    }
    return user;
  }
}

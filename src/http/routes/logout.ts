import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { endSessionStep, readEndSessionRequest, type EndSessionRequest } from '../../core/logout/end-session-request.js';
import { confirmLogoutPage, signedOutPage } from '../../ui/pages/logout.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { requestParams } from '../request-params.js';

/**
 * OpenID Connect RP-Initiated Logout 1.0: the end_session_endpoint (GET or a form POST from the client), and the
 * confirmation the user answers when the request does not prove which client and session it is for.
 */
export function logoutRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf } = context;
  const max = gatehouse.config.maxParameterLength;
  // An id_token_hint from any DC's accounts server is this server's (as at the authorization endpoint, spec §9).
  const deps = { clients: gatehouse.storage.clients, signingKeys: gatehouse.signingKeys, issuer: gatehouse.config.dataCenters.issuers };

  const finish = (reply: FastifyReply, logout: EndSessionRequest) =>
    logout.redirect !== undefined ? reply.redirect(logout.redirect, 303) : reply.type('text/html; charset=utf-8').send(signedOutPage());

  const endSession = async (request: FastifyRequest, reply: FastifyReply) => {
    const logout = await readEndSessionRequest(requestParams(request, max), deps);
    const signIn = await context.currentSignIn(request);
    const step = endSessionStep(logout, signIn);
    if (step === 'confirm') {
      return reply.type('text/html; charset=utf-8').send(
        confirmLogoutPage({
          csrf: csrf.token(request, reply),
          email: signIn!.user.email,
          clientName: logout.client?.name,
          action: ENDPOINT_PATHS.endSessionConfirm,
          fields: logout.confirmation,
        }),
      );
    }
    // Also when nothing was live: a cookie of an expired session is cleared all the same.
    await context.endSession(request, reply, logout.client?.clientId);
    return finish(reply, logout);
  };
  app.get(ENDPOINT_PATHS.endSession, endSession);
  app.post(ENDPOINT_PATHS.endSession, endSession);

  app.post(ENDPOINT_PATHS.endSessionConfirm, async (request, reply) => {
    const params = requestParams(request, max);
    csrf.verify(request, params);
    const logout = await readEndSessionRequest(params, deps);
    await context.endSession(request, reply, logout.client?.clientId);
    return finish(reply, logout);
  });
}

import type { FastifyInstance } from 'fastify';
import { ManagementError } from '../../core/errors/management-error.js';
import { changePassword } from '../../core/users/change-password.js';
import { changePasswordPage } from '../../ui/pages/change-password.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { requestParams } from '../request-params.js';

export function changePasswordRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf } = context;
  const max = gatehouse.config.maxParameterLength;

  app.get('/account/password', async (request, reply) => {
    const user = await context.currentUser(request);
    if (!user) return context.redirectToSignIn(reply, request.url);
    const returnTo = context.returnTo(requestParams(request, max).get('return_to'));
    return reply
      .type('text/html; charset=utf-8')
      .send(changePasswordPage({ csrf: csrf.token(request, reply), user, returnTo, required: user.mustChangePassword }));
  });

  app.post('/account/password', async (request, reply) => {
    const params = requestParams(request, max);
    csrf.verify(request, params);
    const signIn = await context.currentSignIn(request);
    if (!signIn) return context.redirectToSignIn(reply, '/account/password');
    const { user } = signIn;
    const returnTo = context.returnTo(params.get('return_to'));
    try {
      await changePassword(
        user,
        {
          current: params.get('current_password') ?? '',
          next: params.get('new_password') ?? '',
          confirmation: params.get('confirm_password') ?? '',
        },
        request.ip,
        {
          users: gatehouse.storage.users,
          sessions: gatehouse.storage.sessions,
          rateLimiter: gatehouse.rateLimiter,
          audit: gatehouse.audit,
          backChannelLogout: gatehouse.backChannelLogout,
        },
      );
    } catch (err) {
      if (!(err instanceof ManagementError)) throw err;
      return reply
        .code(err.status)
        .type('text/html; charset=utf-8')
        .send(
          changePasswordPage({ csrf: csrf.token(request, reply), user, returnTo, required: user.mustChangePassword, error: err.message }),
        );
    }
    // The other sessions ended with the old password; this browser goes on in a new one.
    await context.beginSession(request, reply, user.zuid, signIn.amr);
    return reply.redirect(returnTo, 303);
  });
}

import type { FastifyInstance } from 'fastify';
import { approveAuthorization } from '../../core/authorize/approve.js';
import { AuthorizationFailure } from '../../core/authorize/authorization-request.js';
import { validateAuthorizationRequest } from '../../core/authorize/pipeline.js';
import { checkSilentRefresh, checkSilentSignIn, signedOutForSilentRefresh } from '../../core/authorize/silent-refresh.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { isOAuthError } from '../../core/errors/oauth-error.js';
import { mustAddFactor } from '../../core/mfa/policy.js';
import { authorizationCheckDeps, signedInAs } from '../browser/authorization-deps.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { checkClientServesUser } from '../browser/client-data-center.js';
import { requestDataCenter } from '../data-center.js';
import { requestParams } from '../request-params.js';

/**
 * `GET /oauth/v2/auth/refresh` (and `/oauth/v2/refresh`): the implicit flow's silent refresh (spec §2.4). The request is
 * validated exactly as at the authorization endpoint; then either the same fragment redirect as the implicit flow, or
 * an error in the fragment, never a page: `client_not_granted`, or `prompt_required` where a page would be needed.
 *
 * The page headers stay (`frame-ancestors 'none'`): this route only ever answers with a redirect, and the session
 * cookie is SameSite=Lax, so a cross-site hidden iframe would not carry it anyway. Apps refresh with a top-level
 * redirect or a popup (README, Endpoints).
 */
export function silentRefreshRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse } = context;
  const { storage } = gatehouse;
  const checkDeps = authorizationCheckDeps(gatehouse);

  for (const path of [ENDPOINT_PATHS.silentRefresh, ENDPOINT_PATHS.silentRefreshAlias]) {
    app.get(path, async (request, reply) => {
      const authorization = await validateAuthorizationRequest(requestParams(request, gatehouse.config.maxParameterLength), checkDeps);
      const signIn = await context.currentSignIn(request);
      const user = signIn?.user;
      try {
        if (!user || user.mustChangePassword || (await mustAddFactor(gatehouse.config.requireMfa, user, gatehouse))) {
          throw signedOutForSilentRefresh();
        }
        checkSilentSignIn(authorization, signedInAs(signIn), gatehouse.now());
        checkSilentRefresh(authorization, await storage.consents.find(user.zuid, authorization.clientId), gatehouse.scopes);
      } catch (err) {
        if (isOAuthError(err)) throw new AuthorizationFailure(err, authorization);
        throw err;
      }
      const client = (await storage.clients.find(authorization.clientId))!;
      // As at the authorization endpoint: a page, so the application does not learn the user's DC.
      checkClientServesUser(client, user, context);
      const at = requestDataCenter(request, gatehouse.config.dataCenters);
      return reply.redirect(await approveAuthorization(authorization, client, signedInAs(signIn), false, gatehouse, at), 303);
    });
  }
}

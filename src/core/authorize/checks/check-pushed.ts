import { invalidRequest } from '../../errors/oauth-error.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/**
 * RFC 9126 §5 and §6: a client that must push its requests (its own setting, or `GATEHOUSE_REQUIRE_PAR` for all) is
 * served only through a request_uri. Before the redirect checks' verdict counts: a request that should have been
 * pushed is refused on a page, not sent to the client as if it were one of its own.
 */
export const checkPushed: AuthorizationCheck<'requirePushedAuthorizationRequests'> = (context, deps) => {
  if (context.pushed) return;
  if (deps.requirePushedAuthorizationRequests || context.client!.requirePushedAuthorizationRequests) {
    throw invalidRequest(
      'par_required',
      'This application must send its authorization requests to the pushed authorization request endpoint.',
    );
  }
};

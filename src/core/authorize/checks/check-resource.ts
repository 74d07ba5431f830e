import type { AuthorizationCheck } from '../authorization-request.js';

/**
 * `resource` (RFC 8707 §2, maybe repeated): the resources the tokens are for, each an absolute URI this server knows;
 * else `invalid_target`, in the redirect. The code remembers them, and its tokens may be restricted to any of them.
 */
export const checkResource: AuthorizationCheck<'resources'> = (context, deps) => {
  context.resources = deps.resources.requested(context.params);
};

import type { FastifyRequest } from 'fastify';
import { apiTokenUser } from '../../core/api-tokens/api-tokens.js';
import { actors, byUser, type AuditContext } from '../../core/audit/audit-log.js';
import { ManagementError } from '../../core/errors/management-error.js';
import type { User } from '../../core/users/user.js';
import type { Gatehouse } from '../../gatehouse.js';
import type { BrowserContext } from '../browser/browser-context.js';

/** Who calls the API: the user it acts as, and who that is for the audit log (their session, or an API token by name). */
export interface ApiCaller {
  user: User;
  by: AuditContext;
}

export type SignedIn = (request: FastifyRequest) => Promise<ApiCaller>;

/**
 * The caller: an administrator's API token (`Authorization: Bearer ghat_…`), or the browser session. Only the
 * session needs the CSRF header: a browser attaches cookies to forged requests by itself, never this header.
 */
export function apiSignIn(gatehouse: Gatehouse, context: BrowserContext): SignedIn {
  const tokenDeps = { users: gatehouse.storage.users, apiTokens: gatehouse.storage.apiTokens, hasher: gatehouse.hasher };
  return async (request) => {
    const authorization = header(request, 'authorization');
    if (authorization !== undefined) {
      const bearer = /^Bearer +(\S+)$/i.exec(authorization);
      const owner = bearer ? await apiTokenUser(bearer[1]!, tokenDeps) : undefined;
      if (!owner)
        throw new ManagementError('auth.token_invalid', 'The API token is not valid: unknown, revoked, or not an administrator’s.', 401);
      return { user: owner.user, by: { actor: actors.apiToken(owner.user, owner.tokenName), address: request.ip } };
    }
    const user = await context.currentUser(request);
    if (!user) throw new ManagementError('auth.required', 'Sign in first.', 401);
    if (request.method !== 'GET' && !context.csrf.valid(request, header(request, 'x-csrf-token'))) {
      throw new ManagementError('auth.csrf_failed', 'Send the X-CSRF-Token header from the console page.', 403);
    }
    return { user, by: byUser(user, request.ip) };
  };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AuthorizationFailure } from '../../core/authorize/authorization-request.js';
import { errorRedirect } from '../../core/authorize/redirect.js';
import { ManagementError } from '../../core/errors/management-error.js';
import { isOAuthError } from '../../core/errors/oauth-error.js';
import type { DataCenters } from '../../core/datacenters/data-centers.js';
import { errorPage } from '../../ui/pages/error.js';
import { requestDataCenter } from '../data-center.js';
import { PageError } from './page-error.js';

/**
 * The pages' one error exit. An authorization error whose redirect URI is known goes back to the application
 * (RFC 6749 §4.1.2.1); every other failure is a page, never a stack trace.
 */
export function pageErrorHandler(dataCenters: DataCenters) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (error instanceof AuthorizationFailure) {
      request.log.info({ oauthError: error.error.code, reason: error.error.reason }, 'authorization error');
      if (error.redirect) {
        return reply.redirect(errorRedirect(error.redirect, error.error, requestDataCenter(request, dataCenters).issuer), 303);
      }
      return sendPage(reply, 400, { title: titleFor(error.error.reason), description: error.error.description, code: error.error.code });
    }
    if (error instanceof PageError) return sendPage(reply, error.status, error);
    // The console's refusals (someone else's client, an unknown client type, a non-administrator's admin page).
    if (error instanceof ManagementError) {
      const title = error.status === 404 ? 'Not found' : error.status === 403 ? 'Not allowed' : 'This request is not valid';
      return sendPage(reply, error.status, { title, description: error.message, code: error.code });
    }
    if (isOAuthError(error))
      return sendPage(reply, 400, { title: 'This request is not valid', description: error.description, code: error.code });
    const status = (error as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendPage(reply, 400, {
        title: 'This request is not valid',
        description: 'The request could not be read.',
        code: 'invalid_request',
      });
    }
    request.log.error({ err: error }, 'page failed');
    return sendPage(reply, 500, {
      title: 'Something went wrong',
      description: 'The server could not complete the request. Try again in a moment.',
      code: 'server_error',
    });
  };
}

function sendPage(reply: FastifyReply, status: number, error: { title: string; description: string; code: string }): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(errorPage(error));
}

function titleFor(reason: string): string {
  if (reason === 'redirect_uri_unregistered') return 'Invalid redirect URI';
  if (reason === 'client_unknown') return 'Unknown application';
  return 'This sign-in request is not valid';
}

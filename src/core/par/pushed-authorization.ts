import { AuthorizationFailure, type AuthorizationRequest } from '../authorize/authorization-request.js';
import { INTERACTION_TTL_MS } from '../authorize/interactions.js';
import { invalidRequest, invalidRequestUri } from '../errors/oauth-error.js';
import type { RequestParams } from '../params/request-params.js';
import { parkRequest, takeParkedRequest, type ParkingDeps } from './pushed-requests.js';

/**
 * RFC 9126 §4 at the authorization endpoint: the request a `request_uri` names, taken at first use, for the `client_id`
 * beside it only; every other parameter of the URL is ignored (the pushed ones are the request). A request_uri that
 * finds nothing is shown on a page: nothing trustworthy says where an error could be redirected.
 *
 * Taken, not read: a reload, a second tab or another browser with the same URL finds nothing. A request that must
 * leave for a while (sign-in, a second factor, a new password) parks itself again with `continuationQuery`.
 */
export async function takePushedAuthorization(params: RequestParams, deps: ParkingDeps): Promise<AuthorizationRequest> {
  const clientId = params.get('client_id');
  if (clientId === undefined) throw new AuthorizationFailure(invalidRequest('missing_parameter', 'The parameter client_id is required.'));
  const request = await takeParkedRequest(params.require('request_uri'), clientId, deps);
  if (!request) {
    throw new AuthorizationFailure(
      invalidRequestUri(
        'request_uri_unknown',
        'This request_uri is unknown, expired or already used. Return to the application and try again.',
      ),
    );
  }
  return request;
}

/**
 * Parks a taken request again under a fresh request_uri, for as long as a consent page may stay open (a sign-in takes
 * longer than a pushed request lives), and returns the query that brings the browser back to it: once, as before.
 */
export async function continuationQuery(request: AuthorizationRequest, deps: ParkingDeps): Promise<string> {
  const requestUri = await parkRequest(request, INTERACTION_TTL_MS, deps);
  return new URLSearchParams({ client_id: request.clientId, request_uri: requestUri }).toString();
}

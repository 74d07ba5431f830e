import { invalidRequestObject, requestUriNotSupported } from '../../errors/oauth-error.js';
import { RequestParams } from '../../params/request-params.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/**
 * RFC 9101 (JAR): a `request` parameter carries the whole request, signed by the client; its parameters replace the
 * ones beside it (§6.3), `client_id` aside, which must match (checked by the verifier). A client registered with
 * `require_signed_request_object` (§10.5) must send one. `request_uri` by reference is not served: nothing is fetched
 * from a URL a request names. Runs before the redirect URI is trusted (it may be inside the object), so its errors are
 * shown to the user, never redirected.
 */
export const checkRequestObject: AuthorizationCheck<'requestObjectParams'> = async (context, deps) => {
  const client = context.client!;
  if (context.params.get('request_uri') !== undefined)
    throw requestUriNotSupported('request_uri_unsupported', 'request_uri is not supported; send the request object as request.');
  const jwt = context.params.get('request');
  if (jwt === undefined) {
    if (client.requireSignedRequestObject)
      throw invalidRequestObject('request_object_required', 'This client must send its authorization requests as a signed request object.');
    return;
  }
  context.params = RequestParams.of(await deps.requestObjectParams(client, jwt));
};

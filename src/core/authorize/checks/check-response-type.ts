import { unauthorizedClient, unsupportedResponseType, invalidRequest } from '../../errors/oauth-error.js';
import { isOneOf } from '../../params/definitions.js';
import { RESPONSE_MODES, RESPONSE_TYPES, isImplicit } from '../authorization-parameters.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/**
 * `response_type` is `code`, or `token` for client-based (JavaScript) apps, which Zoho serves by the implicit flow
 * (spec §2.4). The response mode follows: query for codes, fragment for tokens (RFC 6749 §4.2.2: never the query).
 */
export const checkResponseType: AuthorizationCheck = (context) => {
  const responseType = context.params.get('response_type');
  if (responseType === undefined) throw invalidRequest('missing_parameter', 'The parameter response_type is required.');
  if (!isOneOf(RESPONSE_TYPES, responseType)) {
    throw unsupportedResponseType(
      'response_type_unknown',
      `The response_type ${responseType} is not supported; use ${RESPONSE_TYPES.join(' or ')}.`,
    );
  }
  if (isImplicit(responseType) && context.client!.type !== 'client') {
    throw unauthorizedClient('grant_not_allowed', `Only client-based (JavaScript) applications may use response_type=${responseType}.`);
  }
  context.responseType = responseType;

  const mode = context.params.get('response_mode') ?? (isImplicit(responseType) ? 'fragment' : 'query');
  if (!isOneOf(RESPONSE_MODES, mode)) {
    throw invalidRequest('response_mode_unsupported', `The response_mode ${mode} is not supported; use ${RESPONSE_MODES.join(' or ')}.`);
  }
  if (isImplicit(responseType) && mode === 'query') {
    throw invalidRequest('response_mode_unsupported', 'Tokens are never sent in the query string; use response_mode=fragment.');
  }
  context.responseMode = mode;
  // OpenID Connect Core §3.2.2.1: the implicit flow's nonce is REQUIRED (it binds the id_token to the request). Checked
  // once the mode is known, so the error travels in the fragment.
  if (responseType === 'id_token token' && context.params.get('nonce') === undefined) {
    throw invalidRequest('missing_parameter', 'The parameter nonce is required with response_type=id_token token.');
  }
};

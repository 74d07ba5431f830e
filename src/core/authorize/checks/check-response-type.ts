import { unauthorizedClient, unsupportedResponseType, invalidRequest } from '../../errors/oauth-error.js';
import { isOneOf } from '../../params/definitions.js';
import { RESPONSE_MODES, RESPONSE_TYPES } from '../authorization-parameters.js';
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
  if (responseType === 'token' && context.client!.type !== 'client') {
    throw unauthorizedClient('grant_not_allowed', 'Only client-based (JavaScript) applications may use response_type=token.');
  }
  context.responseType = responseType;

  const mode = context.params.get('response_mode') ?? (responseType === 'token' ? 'fragment' : 'query');
  if (!isOneOf(RESPONSE_MODES, mode)) {
    throw invalidRequest('response_mode_unsupported', `The response_mode ${mode} is not supported; use ${RESPONSE_MODES.join(' or ')}.`);
  }
  if (responseType === 'token' && mode === 'query') {
    throw invalidRequest('response_mode_unsupported', 'Tokens are never sent in the query string; use response_mode=fragment.');
  }
  context.responseMode = mode;
};

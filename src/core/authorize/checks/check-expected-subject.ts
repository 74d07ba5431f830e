import { invalidRequest } from '../../errors/oauth-error.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/**
 * The user the answer must be for, if the request names one: by `id_token_hint`, an id_token this server signed for
 * this client (OpenID Connect Core §3.1.2.1; an expired one names its user as well), or by a `sub` value in the
 * `claims` parameter (§5.5.1). A hint that is not ours, or two that disagree, is `invalid_request`.
 */
export const checkExpectedSubject: AuthorizationCheck = async (context, deps) => {
  const hint = context.params.get('id_token_hint');
  const hinted = hint === undefined ? null : await deps.idTokenHintSubject(hint, context.client!.clientId);
  if (hinted === undefined)
    throw invalidRequest('invalid_parameter', 'id_token_hint is not an id_token this server issued to this client.');
  const claimed = context.claims?.idTokenSubject ?? null;
  if (hinted !== null && claimed !== null && hinted !== claimed) {
    throw invalidRequest('invalid_parameter', 'id_token_hint and the claims parameter name different users.');
  }
  context.expectedSubject = hinted ?? claimed;
};

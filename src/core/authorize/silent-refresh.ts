import { clientNotGranted, promptRequired, unsupportedResponseType } from '../errors/oauth-error.js';
import type { ScopeRegistry } from '../scopes/registry.js';
import { authenticationStep } from './authentication.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { needsConsent } from './consent.js';
import type { Consent } from './consent-repository.js';

/**
 * Zoho's silent refresh for client-based (JavaScript) apps (spec §2.4): a new implicit-flow token with no page at all,
 * so only where nothing would have to be asked. Throws `client_not_granted` when the user never granted this client,
 * and `prompt_required` when a page would be needed: scopes beyond the grant, or `prompt=consent`. (A signed-out or
 * not-yet-ready user is `prompt_required` too; the route decides that, it knows the session.)
 */
export function checkSilentRefresh(request: AuthorizationRequest, consent: Consent | undefined, registry: ScopeRegistry): void {
  if (request.responseType !== 'token') {
    throw unsupportedResponseType('response_type_unknown', 'The silent refresh takes response_type=token only.');
  }
  if (!consent) throw clientNotGranted('client_not_granted', 'The user has not granted this application access.');
  if (needsConsent(request, consent, registry)) {
    throw promptRequired('prompt_needed', 'The user must be asked: the scopes go beyond what was granted, or prompt=consent was sent.');
  }
}

/**
 * The session must already satisfy what the request asks of the sign-in (OpenID Connect's `prompt=login`, `max_age`,
 * `acr_values`, `id_token_hint`): anything that would take the sign-in page or its second step is `prompt_required`.
 */
export function checkSilentSignIn(
  request: AuthorizationRequest,
  signIn: { userZuid: string; amr: string; authTime: number },
  now: number,
): void {
  if (authenticationStep(request, signIn, now, undefined) !== 'done') {
    throw promptRequired('prompt_needed', 'The request asks for a fresh or stronger sign-in; start a full authorization.');
  }
  if (request.expectedSubject !== null && request.expectedSubject !== signIn.userZuid) {
    throw promptRequired('prompt_needed', 'The signed-in user is not the one the request names; start a full authorization.');
  }
}

export const signedOutForSilentRefresh = () =>
  promptRequired('prompt_needed', 'The user is not signed in (or must finish signing in); start a full authorization.');

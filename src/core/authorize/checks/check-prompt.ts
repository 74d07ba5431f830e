import { invalidRequest } from '../../errors/oauth-error.js';
import { isOneOf } from '../../params/definitions.js';
import { PROMPTS } from '../authorization-parameters.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/**
 * `prompt` (OpenID Connect Core §3.1.2.1), a space separated list: `login` and `select_account` sign the user in again,
 * `consent` always asks (Zoho, spec §2.1), `none` never shows a page and fails instead, so it goes with nothing else.
 * Without it, a user signed in who granted these scopes before is not asked again.
 */
export const checkPrompt: AuthorizationCheck = (context) => {
  const raw = context.params.get('prompt');
  const values = raw === undefined ? [] : [...new Set(raw.split(' ').filter((value) => value !== ''))];
  const prompts = values.filter((value) => isOneOf(PROMPTS, value));
  if (prompts.length < values.length) {
    throw invalidRequest('invalid_parameter', `prompt must be one or more of ${PROMPTS.join(', ')}.`);
  }
  if (prompts.includes('none') && prompts.length > 1) {
    throw invalidRequest('invalid_parameter', 'prompt=none cannot be combined with another prompt value.');
  }
  context.prompts = prompts;
};

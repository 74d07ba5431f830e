import { invalidRequest } from '../../errors/oauth-error.js';
import { isOneOf } from '../../params/definitions.js';
import { PROMPTS } from '../authorization-parameters.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/**
 * `prompt=consent` always asks (Zoho, spec §2.1); `prompt=none` never shows a page and fails instead (OpenID Connect
 * Core §3.1.2.1). Without it, a user who granted these scopes before is not asked again.
 */
export const checkPrompt: AuthorizationCheck = (context) => {
  const prompt = context.params.get('prompt') ?? null;
  if (prompt !== null && !isOneOf(PROMPTS, prompt)) {
    throw invalidRequest('invalid_parameter', `prompt must be ${PROMPTS.join(' or ')}.`);
  }
  context.prompt = prompt;
};

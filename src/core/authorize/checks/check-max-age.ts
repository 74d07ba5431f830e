import { invalidRequest } from '../../errors/oauth-error.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/** Whole seconds, at most ten digits (three centuries): nothing larger means anything more. */
const SECONDS = /^[0-9]{1,10}$/;

/** `max_age` (OpenID Connect Core §3.1.2.1): how old, in seconds, the user's sign-in may be. */
export const checkMaxAge: AuthorizationCheck = (context) => {
  const raw = context.params.get('max_age');
  if (raw !== undefined && !SECONDS.test(raw)) throw invalidRequest('invalid_parameter', 'max_age must be a whole number of seconds.');
  context.maxAge = raw === undefined ? null : Number(raw);
};

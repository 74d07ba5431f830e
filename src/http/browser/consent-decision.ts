import type { RequestParams } from '../../core/params/request-params.js';
import { PageError } from './page-error.js';

/**
 * A consent form's Accept or Reject. Read before the page's interaction is taken, so a malformed answer does not use
 * up the page's one answer.
 */
export function consentDecision(params: RequestParams): 'accept' | 'reject' {
  const decision = params.get('decision');
  if (decision !== 'accept' && decision !== 'reject')
    throw new PageError(400, 'This request is not valid', 'Choose Accept or Reject.', 'invalid_request');
  return decision;
}

import { errors } from 'jose';

/**
 * What a client is told when `jose` refuses a JWT it sent (a client assertion, a request object): which rule failed,
 * never the JWT itself. `what` names the JWT ("The client assertion").
 */
export function describeJwtFailure(err: unknown, what: string, algorithms: readonly string[]): string | undefined {
  if (err instanceof errors.JWTExpired) return `${what} has expired.`;
  if (err instanceof errors.JWTClaimValidationFailed) return `${what}'s ${err.claim} claim is not valid: ${err.reason}.`;
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported)
    return `${what} must be signed with one of ${algorithms.join(', ')}.`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return `${what}'s signature does not verify.`;
  if (err instanceof errors.JWKSNoMatchingKey) return `No registered key of the client matches ${lower(what)}'s kid and alg.`;
  if (err instanceof errors.JWKSMultipleMatchingKeys) return `Several registered keys match ${lower(what)}; name one with kid.`;
  if (err instanceof errors.JOSEError) return `${what} is not a valid signed JWT.`;
  return undefined;
}

const lower = (what: string) => what.charAt(0).toLowerCase() + what.slice(1);

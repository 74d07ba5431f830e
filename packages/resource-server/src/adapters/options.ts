import type { ResourceError } from '../errors.js';
import type { GuardOptions } from '../guard.js';

export interface ProtectOptions extends GuardOptions {
  /** The realm named in `WWW-Authenticate` (default "api"). */
  realm?: string;
}

export const realmOf = (options: ProtectOptions): string => options.realm ?? 'api';

/** The `WWW-Authenticate` value of a refusal: DPoP is offered when the options accept it. */
export const challengeOf = (err: ResourceError, options: ProtectOptions): string =>
  err.challenge(realmOf(options), options.dpop !== undefined);

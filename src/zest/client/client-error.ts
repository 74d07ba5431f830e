import { ManagementError } from '../../core/errors/management-error.js';

/** Codes of the ZEST client's failures, listed in docs/errors.md. */
export type ZestClientErrorCode = 'zest.login_failed' | 'zest.request_failed' | 'zest.token_unavailable' | 'zest.argument_unknown';

/** Something the ZEST client could not do, said for the person at the terminal. */
export class ZestClientError extends ManagementError {
  override name = 'ZestClientError';

  constructor(code: ZestClientErrorCode, message: string) {
    super(code, message);
  }
}

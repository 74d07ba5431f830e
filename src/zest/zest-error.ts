import { ManagementError } from '../core/errors/management-error.js';

/**
 * A ZEST document Gatehouse cannot use, pointing at where: `/authentication-schema/oauth2[@name='x']/token-url, line 12`.
 * A management error, so the CLI reports it like its other errors (`zest.invalid_document`).
 */
export class ZestError extends ManagementError {
  override name = 'ZestError';

  constructor(
    readonly problem: string,
    readonly path: string,
    readonly line: number,
  ) {
    super('zest.invalid_document', `${path || '/'}, line ${line}: ${problem}`);
  }
}

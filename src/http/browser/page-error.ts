/** A request a page cannot serve: shown to the user as an error page with this status. */
export class PageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly description: string,
    readonly code: string,
  ) {
    super(description);
    this.name = 'PageError';
  }
}

export const csrfFailed = () =>
  new PageError(
    403,
    'This form has expired',
    'The form was not sent from this site, or it is too old. Go back, reload the page and try again.',
    'csrf_failed',
  );

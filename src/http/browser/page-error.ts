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

/** A consent form answered twice, or after its interaction expired. */
export const interactionAnswered = () =>
  new PageError(
    400,
    'This request was already answered',
    'This consent page was answered already, or it was open too long. Start again from the application.',
    'interaction_unknown',
  );

/** A consent form posted after the session that showed it ended. */
export const signedOutBeforeAnswer = () =>
  new PageError(401, 'You are signed out', 'Your session ended before you answered. Start again from the application.', 'login_required');

/** An organisation-wide action (granting or revoking an application's access to it) by someone who does not administer it. */
export const notOrgAdministrator = (what: string) =>
  new PageError(403, 'Not an organisation you administer', `Only the organisation's administrators may ${what}.`, 'not_org_admin');

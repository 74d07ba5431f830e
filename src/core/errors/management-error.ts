/**
 * Errors of the management side (CLI, and the console's `/api/v1`), kept apart from the OAuth error family: they are
 * namespaced domain codes (`client.redirect_uri_invalid`) with a message for a person and, where it applies, the
 * field at fault. See docs/errors.md for the catalogue.
 */
export class ManagementError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ManagementError';
  }

  toJSON(): { code: string; message: string; field?: string } {
    return { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

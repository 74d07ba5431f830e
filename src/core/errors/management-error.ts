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

  toJSON(): ManagementErrorBody {
    return { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

export interface ManagementErrorBody {
  code: string;
  message: string;
  field?: string;
  errors?: ManagementErrorBody[];
}

/**
 * Several fields wrong at once (a form): the first problem is the error's own code and message, as for any management
 * error, and `errors` lists one problem per field, so a form can show each next to its field.
 */
export class FieldErrors extends ManagementError {
  constructor(readonly errors: readonly ManagementError[]) {
    const first = errors[0]!;
    super(first.code, first.message, first.status, first.field);
  }

  /** The problem with one field, if any. */
  forField(field: string): ManagementError | undefined {
    return this.errors.find((e) => e.field === field);
  }

  override toJSON(): ManagementErrorBody {
    return { ...super.toJSON(), errors: this.errors.map((e) => e.toJSON()) };
  }
}

/** What a repository throws when a write would break a uniqueness rule; the caller turns it into its own refusal. */
export class DuplicateError extends Error {
  constructor(readonly what: 'email' | 'self_client' | 'id' | 'name' | 'user_code' | 'label') {
    super(`duplicate ${what}`);
    this.name = 'DuplicateError';
  }
}

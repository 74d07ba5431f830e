/**
 * What a repository throws when a row it stores names a client that no longer exists: another request (or, within
 * the cache bound, another node) deleted the client after this request authenticated it. The caller answers as if
 * the client had never been there.
 */
export class ClientGoneError extends Error {
  constructor(readonly clientId: string) {
    super('the client no longer exists');
    this.name = 'ClientGoneError';
  }
}

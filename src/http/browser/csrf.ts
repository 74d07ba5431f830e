import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestParams } from '../../core/params/request-params.js';
import type { CredentialHasher } from '../../core/tokens/credential-hasher.js';
import { readCookie, setCookie } from './cookies.js';
import { csrfFailed } from './page-error.js';

/**
 * CSRF protection for every form: a random binding value lives in an HttpOnly cookie, and each form carries its keyed
 * hash. A forged request from another site has neither the cookie's value nor the key. It also works before sign-in
 * (the sign-in form), when there is no session to bind to. As defence in depth, a POST whose Origin names another site
 * is refused outright.
 */
export class Csrf {
  constructor(
    private readonly hasher: CredentialHasher,
    private readonly cookie: string,
    private readonly secure: boolean,
    private readonly issuerOrigin: string,
  ) {}

  /** The token for this browser's forms, setting the binding cookie when it has none. */
  token(request: FastifyRequest, reply: FastifyReply): string {
    let binding = readCookie(request, this.cookie);
    if (binding === undefined || !/^[A-Za-z0-9_-]{43}$/.test(binding)) {
      binding = randomBytes(32).toString('base64url');
      setCookie(reply, this.cookie, binding, this.secure);
      // Later code in this request (the page being rendered) must see the same binding.
      request.cookies[this.cookie] = binding;
    }
    return this.hasher.hash(`csrf:${binding}`);
  }

  /** Throws a 403 PageError unless the form's token matches this browser's binding. */
  verify(request: FastifyRequest, params: RequestParams): void {
    if (!this.valid(request, params.get('csrf'))) throw csrfFailed();
  }

  /** Whether a token (from a form field, or the API's `X-CSRF-Token` header) is this browser's, sent from this site. */
  valid(request: FastifyRequest, token: string | undefined): boolean {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== this.issuerOrigin && origin !== `${request.protocol}://${request.host}`) return false;
    const binding = readCookie(request, this.cookie);
    return binding !== undefined && token !== undefined && /^[0-9a-f]{64}$/.test(token) && this.hasher.matches(`csrf:${binding}`, token);
  }
}

import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestParams } from '../../core/params/request-params.js';
import type { CredentialHasher } from '../../core/tokens/credential-hasher.js';
import { readCookie, setCookie } from './cookies.js';
import { csrfFailed } from './page-error.js';

/** A binding cookie as `token` makes it: 32 random bytes, base64url. */
const BINDING = /^[A-Za-z0-9_-]{43}$/;

/**
 * CSRF protection for every form: a random binding value lives in an HttpOnly cookie, and each form carries the keyed
 * hash of that value together with the browser's session cookie. A forged request from another site has neither the
 * cookies' values nor the key. Binding the session in means a token is good for one session only: a browser whose
 * CSRF cookie was planted by someone else (a sibling subdomain can set cookies) still cannot be made to send that
 * someone's token with its own session; and a token taken before sign-in, or from another session, is refused after
 * it. Before sign-in (the sign-in form) the binding cookie alone is the pre-sign-in session. As defence in depth, a
 * POST whose Origin names another site is refused outright.
 */
export class Csrf {
  constructor(
    private readonly hasher: CredentialHasher,
    private readonly cookies: { csrf: string; session: string },
    private readonly secure: boolean,
    private readonly issuerOrigin: string,
  ) {}

  /** The token for this browser's forms, setting the binding cookie when it has none. */
  token(request: FastifyRequest, reply: FastifyReply): string {
    let binding = readCookie(request, this.cookies.csrf);
    if (binding === undefined || !BINDING.test(binding)) {
      binding = randomBytes(32).toString('base64url');
      setCookie(reply, this.cookies.csrf, binding, this.secure);
      // Later code in this request (the page being rendered) must see the same binding.
      request.cookies[this.cookies.csrf] = binding;
    }
    return this.hasher.hash(this.bound(request, binding));
  }

  /** Throws a 403 PageError unless the form's token matches this browser's binding. */
  verify(request: FastifyRequest, params: RequestParams): void {
    if (!this.valid(request, params.get('csrf'))) throw csrfFailed();
  }

  /** Whether a token (from a form field, or the API's `X-CSRF-Token` header) is this browser's, sent from this site. */
  valid(request: FastifyRequest, token: string | undefined): boolean {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== this.issuerOrigin && origin !== `${request.protocol}://${request.host}`) return false;
    const binding = readCookie(request, this.cookies.csrf);
    if (binding === undefined || !BINDING.test(binding) || token === undefined || !/^[0-9a-f]{64}$/.test(token)) return false;
    return this.hasher.matches(this.bound(request, binding), token);
  }

  /** What a token is the keyed hash of: the binding and the session cookie as this request carries them. */
  private bound(request: FastifyRequest, binding: string): string {
    return `csrf:${binding}:${readCookie(request, this.cookies.session) ?? ''}`;
  }
}

import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The browser cookies: HttpOnly, SameSite=Lax, and Secure with the `__Host-` prefix when the issuer is https, which
 * pins them to this host and path `/`.
 */
export interface CookieNames {
  session: string;
  csrf: string;
  /** Between the password and the second factor: the sealed ticket of the sign-in under way (no session yet). */
  pendingSignIn: string;
}

export function cookieNames(secure: boolean): CookieNames {
  return secure
    ? { session: '__Host-gh_session', csrf: '__Host-gh_csrf', pendingSignIn: '__Host-gh_signin' }
    : { session: 'gh_session', csrf: 'gh_csrf', pendingSignIn: 'gh_signin' };
}

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  return request.cookies[name];
}

export function setCookie(reply: FastifyReply, name: string, value: string, secure: boolean, maxAgeSeconds?: number): void {
  reply.setCookie(name, value, { path: '/', httpOnly: true, sameSite: 'lax', secure, ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}) });
}

export function clearCookie(reply: FastifyReply, name: string, secure: boolean): void {
  reply.clearCookie(name, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

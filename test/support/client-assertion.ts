import { randomUUID } from 'node:crypto';
import { SignJWT, type CryptoKey } from 'jose';

/** RFC 7523 §2.2's `client_assertion_type`. */
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** A client assertion as RFC 7523 §3 describes it; `claims` and the header options change one rule at a time. */
export function clientAssertion(
  clientId: string,
  audience: unknown,
  key: CryptoKey | Uint8Array,
  options: { alg?: string; kid?: string; claims?: Record<string, unknown>; nowS?: number } = {},
): Promise<string> {
  const now = options.nowS ?? Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: clientId,
    sub: clientId,
    aud: audience,
    jti: randomUUID(),
    iat: now,
    exp: now + 60,
    ...options.claims,
  } as Record<string, unknown>)
    .setProtectedHeader({ alg: options.alg ?? 'ES256', ...(options.kid ? { kid: options.kid } : {}) })
    .sign(key);
}

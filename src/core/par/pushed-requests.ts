import { randomBytes } from 'node:crypto';
import type { AuthorizationRequest } from '../authorize/authorization-request.js';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import type { PushedRequestRepository } from './pushed-request-repository.js';

/** RFC 9126 §2.2: the form of the `request_uri` the pushed authorization request endpoint answers with. */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';

/**
 * How long a pushed request waits for the browser: the client redirects as soon as it has the answer, so a minute is
 * plenty (RFC 9126 §2.2 suggests 5 to 600 seconds), and a short life limits what a leaked request_uri is worth.
 */
export const PUSHED_REQUEST_TTL_S = 60;

export type ParkingDeps = { pushedRequests: PushedRequestRepository; hasher: CredentialHasher; now: () => number };

/** Keeps a validated request for `lifeMs` under a fresh request_uri, which it returns; usable once. */
export async function parkRequest(request: AuthorizationRequest, lifeMs: number, deps: ParkingDeps): Promise<string> {
  const handle = randomBytes(32).toString('base64url');
  await deps.pushedRequests.create({
    id: storageKey(handle, deps.hasher),
    clientId: request.clientId,
    request: JSON.stringify(request),
    expiresAt: deps.now() + lifeMs,
  });
  return REQUEST_URI_PREFIX + handle;
}

/**
 * Takes the request a request_uri names, for the client that pushed it, once (RFC 9126 §4: "MUST" be bound to the
 * client; §7.3: one-time use is how a replayed request_uri is stopped). Undefined when it is unknown, malformed,
 * expired, used or another client's: the caller cannot tell which, and neither can an attacker probing for them.
 */
export async function takeParkedRequest(
  requestUri: string,
  clientId: string,
  deps: ParkingDeps,
): Promise<AuthorizationRequest | undefined> {
  if (!requestUri.startsWith(REQUEST_URI_PREFIX)) return undefined;
  const handle = requestUri.slice(REQUEST_URI_PREFIX.length);
  if (!HANDLE.test(handle)) return undefined;
  const pushed = await deps.pushedRequests.take(storageKey(handle, deps.hasher), clientId, deps.now());
  return pushed && (JSON.parse(pushed.request) as AuthorizationRequest);
}

/** What `randomBytes(32).toString('base64url')` makes; anything else was never issued, so no lookup is spent on it. */
const HANDLE = /^[A-Za-z0-9_-]{43}$/;

const storageKey = (handle: string, hasher: CredentialHasher): string => hasher.hash(`request_uri:${handle}`);

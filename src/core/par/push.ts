import { AuthorizationFailure, type AuthorizationCheckDeps } from '../authorize/authorization-request.js';
import { validateAuthorizationRequest } from '../authorize/pipeline.js';
import { authenticateClient, type BasicCredentials } from '../clients/authenticate-client.js';
import type { Client } from '../clients/client.js';
import type { GatehouseConfig } from '../config/config.js';
import { checkClientInDataCenter } from '../datacenters/data-center-checks.js';
import type { DataCenter } from '../datacenters/data-centers.js';
import { invalidRequest, throttled } from '../errors/oauth-error.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { RequestParams } from '../params/request-params.js';
import { parkRequest, PUSHED_REQUEST_TTL_S, type ParkingDeps } from './pushed-requests.js';

export interface PushDeps extends ParkingDeps {
  clientAuth: Parameters<typeof authenticateClient>[2];
  checks: AuthorizationCheckDeps;
  rateLimiter: RateLimiter;
  config: Pick<GatehouseConfig, 'limits' | 'dataCenters'>;
}

/** RFC 9126 §2.2's answer. */
export interface PushedAuthorizationResponse {
  request_uri: string;
  expires_in: number;
}

/**
 * The pushed authorization request endpoint (RFC 9126 §2): the client authenticates as it would at the token endpoint,
 * the request is checked exactly as the authorization endpoint checks one, and it waits under a one-time request_uri
 * for the browser to bring. Every refusal is an OAuthError for the JSON error exit; nothing is stored unless all passed.
 */
export async function pushAuthorizationRequest(
  params: RequestParams,
  basic: BasicCredentials | undefined,
  deps: PushDeps,
  /** The DC whose accounts server was called (spec §9). */
  at: DataCenter,
  /** The caller's address, for the limits on client assertions. */
  address: string,
): Promise<PushedAuthorizationResponse> {
  const { client } = await authenticateClient(params, basic, deps.clientAuth, at.issuer, address);
  checkClientInDataCenter(client, at, deps.config.dataCenters);
  // §2.1: "The request_uri authorization request parameter is one exception, and it MUST NOT be provided."
  if (params.get('request_uri') !== undefined) {
    throw invalidRequest('request_uri_not_allowed', 'A pushed authorization request cannot itself carry a request_uri.');
  }
  await reservePush(client, deps);
  // A pushed `request` object (RFC 9126 §3) is verified against this client's keys by the pipeline's JAR check, as at
  // the authorization endpoint, and its parameters replace the form's.
  const request = await validatePushed(params, deps.checks);
  const requestUri = await parkRequest(request, PUSHED_REQUEST_TTL_S * 1000, deps);
  return { request_uri: requestUri, expires_in: PUSHED_REQUEST_TTL_S };
}

/**
 * Pushed requests count against the client's authorization code limit (`GATEHOUSE_LIMIT_CODE_RATE`), in a window of
 * their own: each can become at most one code, so a client within its code budget is never refused here, while one
 * pushing in a loop cannot fill the store. Reserved before anything is stored, so parallel pushes cannot outrun it.
 */
async function reservePush(client: Client, deps: Pick<PushDeps, 'rateLimiter' | 'config'>): Promise<void> {
  const rate = deps.config.limits.codeRate;
  if (rate === null) return;
  const reservation = await deps.rateLimiter.reserve([{ key: `par:${client.clientId}`, limit: rate }]);
  if (!reservation.allowed) {
    throw throttled('Too many pushed authorization requests for this application; try again later.', reservation.retryAfter);
  }
}

/** The authorization endpoint's own checks; at this endpoint every failure is answered to the client, never redirected. */
async function validatePushed(params: RequestParams, checks: AuthorizationCheckDeps) {
  try {
    return await validateAuthorizationRequest(params, checks, true);
  } catch (err) {
    if (err instanceof AuthorizationFailure) throw err.error;
    throw err;
  }
}

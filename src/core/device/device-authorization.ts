import { authenticateClient, type BasicCredentials, type ClientAuthDeps } from '../clients/authenticate-client.js';
import type { Client } from '../clients/client.js';
import { invalidClient, invalidRequest, unauthorizedClient } from '../errors/oauth-error.js';
import type { GrantDeps } from '../grants/grant-handler.js';
import type { RequestParams } from '../params/request-params.js';
import { formatScopes } from '@gatehouse/resource-server';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import { newOpaqueToken } from '../tokens/identifiers.js';
import { DuplicateError } from '../errors/duplicate-error.js';
import { newUserCode, normaliseUserCode } from './user-code.js';
import { checkClientInDataCenter } from '../datacenters/data-center-checks.js';
import type { DataCenter } from '../datacenters/data-centers.js';

/** A device code and its user code live five minutes (spec decision 2). */
export const DEVICE_CODE_TTL_MS = 5 * 60_000;
/** How often a device may poll; one polling sooner is told to slow down (RFC 8628 §3.5). */
export const POLL_INTERVAL_MS = 5_000;

export interface StartedDeviceAuthorization {
  deviceCode: string;
  /** As shown to the user: `WDJB-MJHT`. */
  userCode: string;
  expiresInMs: number;
  intervalMs: number;
}

export interface DeviceDeps extends GrantDeps {
  clientAuth: ClientAuthDeps;
}

/**
 * Starts a device authorization (RFC 8628 §3.1–3.2; Zoho's `POST /oauth/v3/device/code`, spec §3.5) for a Non-browser
 * Application and the scopes it asks for. A client secret is checked when one is sent; Zoho's devices send none at
 * this step, and nothing is granted before the user approves and the device polls with its secret. Started at `at`,
 * the accounts server the device called, which must be one of the client's DCs, as at the token endpoint (spec §1.2).
 */
export async function startDeviceAuthorization(
  params: RequestParams,
  basic: BasicCredentials | undefined,
  at: DataCenter,
  deps: DeviceDeps,
  /** The caller's address, for the audit of a refused client assertion. */
  address: string | null,
): Promise<StartedDeviceAuthorization> {
  const grantType = params.get('grant_type');
  // Zoho's initiation names itself `grant_type=device_request`; RFC 8628's sends no grant_type here.
  if (grantType !== undefined && grantType !== 'device_request') {
    throw invalidRequest('invalid_parameter', 'The grant_type of a device authorization request is device_request, or none.');
  }
  const client = await deviceClient(params, basic, deps, at.issuer, address);
  checkClientInDataCenter(client, at, deps.config.dataCenters);
  const scopes = deps.scopes.parse(params.require('scope'));
  const accessType = params.get('access_type') ?? 'online';
  if (accessType !== 'online' && accessType !== 'offline') {
    throw invalidRequest('invalid_parameter', 'The parameter access_type must be online or offline.');
  }

  const deviceCode = newOpaqueToken();
  const now = deps.now();
  for (let attempt = 1; ; attempt++) {
    const userCode = newUserCode();
    try {
      await deps.storage.deviceAuthorizations.create({
        id: deps.hasher.storageKey(deviceCode),
        userCodeKey: userCodeKey(normaliseUserCode(userCode)!, deps.hasher),
        clientId: client.clientId,
        scopes: formatScopes(scopes),
        offline: accessType === 'offline',
        status: 'pending',
        userZuid: null,
        createdAt: now,
        expiresAt: now + DEVICE_CODE_TTL_MS,
        lastPolledAt: null,
        consumedAt: null,
      });
      return { deviceCode, userCode, expiresInMs: DEVICE_CODE_TTL_MS, intervalMs: POLL_INTERVAL_MS };
    } catch (err) {
      // Another authorization drew the same user code (one in 25 billion per live code): draw again.
      if (!(err instanceof DuplicateError && err.what === 'user_code') || attempt === 3) throw err;
    }
  }
}

/** The key a user code is stored under: keyed, so a copy of the database does not show live codes. */
export function userCodeKey(normalised: string, hasher: CredentialHasher): string {
  return hasher.hash(`user_code:${normalised}`);
}

async function deviceClient(
  params: RequestParams,
  basic: BasicCredentials | undefined,
  deps: DeviceDeps,
  /** The DC's issuer: what a client assertion must name as its `aud`. */
  issuer: string,
  address: string | null,
): Promise<Client> {
  const presentsCredentials =
    basic !== undefined || params.get('client_secret') !== undefined || params.get('client_assertion') !== undefined;
  const client = presentsCredentials
    ? (await authenticateClient(params, basic, deps.clientAuth, issuer, address)).client
    : await findClient(params, deps);
  if (client.type !== 'device') {
    throw unauthorizedClient('grant_not_allowed', 'Only a Non-browser Application may start a device authorization.');
  }
  return client;
}

async function findClient(params: RequestParams, deps: DeviceDeps): Promise<Client> {
  const client = await deps.clientAuth.clients.find(params.require('client_id'));
  if (!client) throw invalidClient('client_unknown', 'No client is registered with this client_id.');
  return client;
}

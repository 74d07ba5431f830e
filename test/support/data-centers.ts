import { setClientDataCenters } from '../../src/core/clients/client-data-centers.js';
import { findClient } from '../../src/core/clients/register-client.js';
import { createUser } from '../../src/core/users/create-user.js';
import type { User } from '../../src/core/users/user.js';
import { freePort, Harness, PASSWORD, REDIRECT, type RegisteredTestClient } from './harness.js';
import type { StoreKind } from './stores.js';

/**
 * Two data centres on one server (spec §9), told apart by the Host header as a proxy in front would pass it on: `us`
 * (the primary) at http://127.0.0.1:PORT and `eu` at http://localhost:PORT, each its own accounts server and API
 * domain. Both names reach the same listener, and a browser keeps their cookies apart, as it would for two hosts.
 */
export { PASSWORD, REDIRECT };
export const SCOPES = 'ZohoCRM.modules.leads.READ,AaaServer.profile.READ';

export interface TwoDcs {
  h: Harness;
  us: string;
  eu: string;
}

export async function startTwoDcs(kind: StoreKind): Promise<TwoDcs> {
  const port = await freePort();
  const us = `http://127.0.0.1:${port}`;
  const eu = `http://localhost:${port}`;
  const h = await Harness.start(
    kind,
    {
      issuer: us,
      dataCenters: [
        { location: 'us', accounts_origin: us, api_domain: us },
        { location: 'eu', accounts_origin: eu, api_domain: eu },
      ],
      limits: { codeRate: null, refreshRate: null },
    },
    { port },
  );
  return { h, us, eu };
}

let users = 0;
export function userIn(h: Harness, dc: string): Promise<User> {
  users++;
  return createUser(
    { email: `dc-${dc}-${users}-${Date.now()}@example.com`, password: PASSWORD, firstName: 'Ann', lastName: 'Lee', dc },
    { users: h.storage.users, now: h.clock.now, dataCenters: h.gatehouse.config.dataCenters },
  );
}

export async function enable(h: Harness, client: RegisteredTestClient, otherDcs: string[]): Promise<void> {
  await setClientDataCenters(await findClient(client.clientId, h.storage.clients), otherDcs, {
    clients: h.storage.clients,
    now: h.clock.now,
    dataCenters: h.gatehouse.config.dataCenters,
  });
}

export async function post(origin: string, path: string, form: Record<string, string>) {
  const response = await fetch(origin + path, { method: 'POST', body: new URLSearchParams(form) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

export function authorizePath(client: RegisteredTestClient, extra: Record<string, string> = {}): string {
  return `/oauth/v2/auth?${new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: SCOPES,
    access_type: 'offline',
    state: 's1',
    ...extra,
  })}`;
}

export const exchange = (origin: string, client: RegisteredTestClient, code: string) =>
  post(origin, '/oauth/v2/token', {
    grant_type: 'authorization_code',
    client_id: client.clientId,
    client_secret: client.clientSecret!,
    code,
    redirect_uri: REDIRECT,
  });

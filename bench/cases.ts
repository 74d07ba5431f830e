import { formPost, type RequestSpec } from './http-request.js';
import type { GatehouseFixture } from './servers/gatehouse.js';
import { clientCredentialsRequest, type OidcProviderFixture } from './servers/oidc-provider.js';

export interface BenchCase {
  /** Unique within a suite; the label names the server too, so it is the id. */
  id: string;
  label: string;
  /** One request per node of the server; the load is spread over them at once, and their throughput summed. */
  requests: RequestSpec[];
}

/** A case's throughput over its baseline's. */
export interface Ratio {
  label: string;
  numerator: BenchCase;
  denominator: BenchCase;
  /** A goal the ratio should reach; reported, never enforced: this is a benchmark, not a test. */
  target?: number;
  /** Measured in alternating slices with its baseline (`measurePair`), as every ratio with a target or a named baseline is; otherwise each alone. */
  together: boolean;
}

export type GatehouseCaseKind = 'client-credentials' | 'refresh-token' | 'introspection' | 'user-info' | 'crm-record';

const GATEHOUSE_ROUTES: Record<GatehouseCaseKind, string> = {
  'client-credentials': 'POST /oauth/v2/token client_credentials',
  'refresh-token': 'POST /oauth/v2/token refresh_token',
  introspection: 'POST /oauth/v2/introspect',
  'user-info': 'GET /oauth/user/info',
  'crm-record': 'GET /crm/v8/Leads/{id}',
};

/** One of Gatehouse's hot requests, `server` naming the deployment, its load spread over `nodeUrls`. */
export function gatehouseCase(kind: GatehouseCaseKind, server: string, fixture: GatehouseFixture, nodeUrls = [fixture.baseUrl]): BenchCase {
  const label = `${server} ${GATEHOUSE_ROUTES[kind]}`;
  return { id: label, label, requests: nodeUrls.map((baseUrl) => gatehouseRequest(kind, fixture, baseUrl)) };
}

/** Several kinds of `gatehouseCase` against one deployment, by kind. */
export function gatehouseCases<Kind extends GatehouseCaseKind>(
  kinds: readonly Kind[],
  server: string,
  fixture: GatehouseFixture,
  nodeUrls = [fixture.baseUrl],
): Record<Kind, BenchCase> {
  const cases = {} as Record<Kind, BenchCase>;
  for (const kind of kinds) cases[kind] = gatehouseCase(kind, server, fixture, nodeUrls);
  return cases;
}

function gatehouseRequest(kind: GatehouseCaseKind, fixture: GatehouseFixture, baseUrl: string): RequestSpec {
  const tokenUrl = `${baseUrl}/oauth/v2/token`;
  const { selfClient, serverClient } = fixture;
  const bearer = { authorization: `Zoho-oauthtoken ${fixture.accessToken}` };
  switch (kind) {
    case 'client-credentials':
      return formPost(tokenUrl, {
        grant_type: 'client_credentials',
        client_id: selfClient.clientId,
        client_secret: selfClient.clientSecret,
        scope: 'ZohoCRM.modules.ALL',
      });
    case 'refresh-token':
      return formPost(tokenUrl, {
        grant_type: 'refresh_token',
        client_id: selfClient.clientId,
        client_secret: selfClient.clientSecret,
        refresh_token: fixture.refreshToken,
      });
    case 'introspection':
      return formPost(`${baseUrl}/oauth/v2/introspect`, {
        token: fixture.accessToken,
        client_id: serverClient.clientId,
        client_secret: serverClient.clientSecret,
      });
    case 'user-info':
      return { method: 'GET', url: `${baseUrl}/oauth/user/info`, headers: bearer };
    case 'crm-record':
      return { method: 'GET', url: `${baseUrl}/crm/v8/Leads/${fixture.lead.id}`, headers: bearer };
  }
}

export function oidcProviderCases(oidc: OidcProviderFixture): { clientCredentials: BenchCase; introspection: BenchCase } {
  const introspection = formPost(`${oidc.baseUrl}/token/introspection`, {
    token: oidc.accessToken,
    client_id: oidc.clientId,
    client_secret: oidc.clientSecret,
  });
  return {
    clientCredentials: single('oidc-provider POST /token client_credentials', clientCredentialsRequest(oidc)),
    introspection: single('oidc-provider POST /token/introspection', introspection),
  };
}

/** The floor's two cases: a POST with a token-like form, and a GET answered with the same JSON as the protected read. */
export function bareHttpCases(bareUrl: string): { post: BenchCase; get: BenchCase } {
  return {
    post: single(
      'node:http fixed JSON (POST)',
      formPost(bareUrl, { grant_type: 'client_credentials', client_id: 'floor', client_secret: 'floor', scope: 'floor' }),
    ),
    get: single('node:http the same lead JSON (GET)', { method: 'GET', url: `${bareUrl}/crm/v8/Leads/1`, headers: {} }),
  };
}

function single(label: string, request: RequestSpec): BenchCase {
  return { id: label, label, requests: [request] };
}

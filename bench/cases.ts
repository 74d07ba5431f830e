import { formPost, type RequestSpec } from './http-request.js';
import type { GatehouseFixture } from './servers/gatehouse.js';
import { clientCredentialsRequest, type OidcProviderFixture } from './servers/oidc-provider.js';

export type CaseId =
  | 'gatehouse-client-credentials'
  | 'gatehouse-refresh-token'
  | 'gatehouse-introspection'
  | 'gatehouse-user-info'
  | 'gatehouse-crm-record'
  | 'oidc-client-credentials'
  | 'oidc-introspection'
  | 'bare-http'
  | 'bare-http-get';

export interface BenchCase {
  id: CaseId;
  label: string;
  request: RequestSpec;
}

export const GATEHOUSE_CASES: readonly CaseId[] = [
  'gatehouse-client-credentials',
  'gatehouse-refresh-token',
  'gatehouse-introspection',
  'gatehouse-user-info',
  'gatehouse-crm-record',
];

/** Every case, in the order the report lists them: Gatehouse first, then the baselines. */
export function defineCases(gatehouse: GatehouseFixture, oidc: OidcProviderFixture, bareUrl: string): BenchCase[] {
  const tokenUrl = `${gatehouse.baseUrl}/oauth/v2/token`;
  const { selfClient, serverClient } = gatehouse;
  return [
    {
      id: 'gatehouse-client-credentials',
      label: 'Gatehouse POST /oauth/v2/token client_credentials',
      request: formPost(tokenUrl, {
        grant_type: 'client_credentials',
        client_id: selfClient.clientId,
        client_secret: selfClient.clientSecret,
        scope: 'ZohoCRM.modules.ALL',
      }),
    },
    {
      id: 'gatehouse-refresh-token',
      label: 'Gatehouse POST /oauth/v2/token refresh_token',
      request: formPost(tokenUrl, {
        grant_type: 'refresh_token',
        client_id: selfClient.clientId,
        client_secret: selfClient.clientSecret,
        refresh_token: gatehouse.refreshToken,
      }),
    },
    {
      id: 'gatehouse-introspection',
      label: 'Gatehouse POST /oauth/v2/introspect',
      request: formPost(`${gatehouse.baseUrl}/oauth/v2/introspect`, {
        token: gatehouse.accessToken,
        client_id: serverClient.clientId,
        client_secret: serverClient.clientSecret,
      }),
    },
    {
      id: 'gatehouse-user-info',
      label: 'Gatehouse GET /oauth/user/info',
      request: {
        method: 'GET',
        url: `${gatehouse.baseUrl}/oauth/user/info`,
        headers: { authorization: `Zoho-oauthtoken ${gatehouse.accessToken}` },
      },
    },
    {
      id: 'gatehouse-crm-record',
      label: 'Gatehouse GET /crm/v8/Leads/{id}',
      request: {
        method: 'GET',
        url: `${gatehouse.baseUrl}/crm/v8/Leads/${gatehouse.lead.id}`,
        headers: { authorization: `Zoho-oauthtoken ${gatehouse.accessToken}` },
      },
    },
    {
      id: 'oidc-client-credentials',
      label: 'oidc-provider POST /token client_credentials',
      request: clientCredentialsRequest(oidc),
    },
    {
      id: 'oidc-introspection',
      label: 'oidc-provider POST /token/introspection',
      request: formPost(`${oidc.baseUrl}/token/introspection`, {
        token: oidc.accessToken,
        client_id: oidc.clientId,
        client_secret: oidc.clientSecret,
      }),
    },
    {
      id: 'bare-http',
      label: 'node:http fixed JSON (POST)',
      request: formPost(bareUrl, { grant_type: 'client_credentials', client_id: 'floor', client_secret: 'floor', scope: 'floor' }),
    },
    {
      id: 'bare-http-get',
      label: 'node:http the same lead JSON (GET)',
      request: { method: 'GET', url: `${bareUrl}/crm/v8/Leads/1`, headers: {} },
    },
  ];
}

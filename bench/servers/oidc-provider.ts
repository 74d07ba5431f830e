import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Configuration, default as OidcProvider } from 'oidc-provider';
import { formPost, requireString, sendExpectingSuccess, type RequestSpec } from '../http-request.js';
import type { Teardown } from '../teardown.js';
import { listenOnFreePort } from './listen.js';

export interface OidcProviderFixture {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  /** An opaque access token the provider issued, for the introspection case. */
  accessToken: string;
}

const CLIENT_ID = 'bench-client';
const SCOPE = 'api:read';

/**
 * oidc-provider with its default in-memory adapter: one confidential client allowed client_credentials,
 * introspection on. Tokens stay opaque because no resource indicator is requested (only a resource server may ask for
 * JWT access tokens). The token endpoint is `/token`, introspection `/token/introspection`.
 */
export async function startOidcProvider(teardown: Teardown): Promise<OidcProviderFixture> {
  const clientSecret = randomBytes(32).toString('base64url');
  const provider = await createQuietProvider('http://oidc-provider.bench', providerConfiguration(clientSecret));
  const baseUrl = await listenOnFreePort(createServer(provider.callback()), 'oidc-provider', teardown);
  const fixture = { baseUrl, clientId: CLIENT_ID, clientSecret, scope: SCOPE };
  return { ...fixture, accessToken: await issueClientCredentialsToken(fixture) };
}

function providerConfiguration(clientSecret: string): Configuration {
  return {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    // client_credentials may only ask for scopes the provider knows; the rest would be dropped silently.
    scopes: [SCOPE],
    // Set explicitly because the defaults are functions that print a notice on first use, i.e. mid-measurement.
    // 3600 s matches Gatehouse's access tokens.
    ttl: { ClientCredentials: 3600 },
    features: {
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // The default's rule, minus its notice: a confidential caller may introspect any token, as at Gatehouse.
        allowedPolicy: async (_ctx, client, token) => client.clientAuthMethod !== 'none' || token.clientId === client.clientId,
      },
    },
  };
}

/**
 * oidc-provider prints warnings when it is imported (Node 20 is below its supported v22) and constructed (in-memory
 * adapter, development signing keys). All are expected in a benchmark, so the console is muted for those two steps
 * only; that is also why the module is imported here, dynamically, and not at the top of the file.
 */
async function createQuietProvider(issuer: string, configuration: Configuration): Promise<OidcProvider> {
  const { info, warn } = console;
  console.info = console.warn = () => {};
  try {
    const { default: Provider } = await import('oidc-provider');
    return new Provider(issuer, configuration);
  } finally {
    console.info = info;
    console.warn = warn;
  }
}

export function clientCredentialsRequest(fixture: Omit<OidcProviderFixture, 'accessToken'>): RequestSpec {
  return formPost(`${fixture.baseUrl}/token`, {
    grant_type: 'client_credentials',
    client_id: fixture.clientId,
    client_secret: fixture.clientSecret,
    scope: fixture.scope,
  });
}

/** Doubles as the by-hand check that the provider is configured right before any load is sent to it. */
async function issueClientCredentialsToken(fixture: Omit<OidcProviderFixture, 'accessToken'>): Promise<string> {
  const what = 'oidc-provider client_credentials';
  const body = await sendExpectingSuccess(what, clientCredentialsRequest(fixture));
  return requireString(body, 'access_token', what);
}

import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import type { BrowserAgent } from './browser-agent.js';
import { PASSWORD, type RegisteredTestClient } from './harness.js';

/**
 * The pieces every test that drives Gatehouse with a strict third-party client (oauth4webapi, openid-client) needs:
 * discovery against the running server, the client as the library sees it, fresh request checks, and the browser's
 * part of the code flow. The protocol calls themselves stay in the tests: what the library does with them is the point.
 */

/** The test server speaks plain http on loopback; everything else oauth4webapi checks stays on. */
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** oauth4webapi's discovery of the server whose issuer is `baseUrl`, from its OpenID (`oidc`) or RFC 8414 (`oauth2`) metadata. */
export async function discover(baseUrl: string, algorithm: 'oidc' | 'oauth2'): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(baseUrl);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm, ...insecure }));
}

/** openid-client's discovery of the server at `baseUrl`, for `clientId`; plain http on loopback allowed, as above. */
export function openidDiscovery(
  baseUrl: string,
  clientId: string,
  metadata?: Partial<openid.ClientMetadata> | string,
  clientAuthentication?: openid.ClientAuth,
): Promise<openid.Configuration> {
  return openid.discovery(new URL(baseUrl), clientId, metadata, clientAuthentication, { execute: [openid.allowInsecureRequests] });
}

/** oauth4webapi's view of a registered client that sends its secret in the request body. */
export function secretPostClient(registered: RegisteredTestClient): { client: oauth.Client; auth: oauth.ClientAuth } {
  return { client: { client_id: registered.clientId }, auth: oauth.ClientSecretPost(registered.clientSecret!) };
}

/** What one authorization request is checked by, named as openid-client's `authorizationCodeGrant` takes them. */
export interface RequestChecks {
  pkceCodeVerifier: string;
  expectedState: string;
  expectedNonce?: string;
}

/**
 * Fresh checks for one authorization request, and the parameters that carry them: the S256 `code_challenge`, `state`
 * and, unless `nonce` is false (a plain OAuth request), `nonce`.
 */
export async function requestChecks({ nonce = true } = {}): Promise<{ checks: RequestChecks; params: Record<string, string> }> {
  const checks: RequestChecks = {
    pkceCodeVerifier: oauth.generateRandomCodeVerifier(),
    expectedState: oauth.generateRandomState(),
    ...(nonce ? { expectedNonce: oauth.generateRandomNonce() } : {}),
  };
  const params: Record<string, string> = {
    code_challenge: await oauth.calculatePKCECodeChallenge(checks.pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: checks.expectedState,
    ...(checks.expectedNonce ? { nonce: checks.expectedNonce } : {}),
  };
  return { checks, params };
}

/** `as`'s authorization endpoint with `params` as its query. */
export function authorizationUrl(as: oauth.AuthorizationServer, params: Record<string, string>): URL {
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams(params).toString();
  return url;
}

/**
 * oauth4webapi finishing an OpenID Connect code flow: the redirect `back` checked (state, RFC 9207 `iss`), its code
 * redeemed with the PKCE verifier, the id_token required and its nonce checked.
 */
export async function redeemOpenIdCode(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  auth: oauth.ClientAuth,
  back: URL,
  redirectUri: string,
  checks: RequestChecks,
): Promise<oauth.TokenEndpointResponse> {
  const callback = oauth.validateAuthResponse(as, client, back, checks.expectedState);
  const response = await oauth.authorizationCodeGrantRequest(as, client, auth, callback, redirectUri, checks.pkceCodeVerifier, insecure);
  return oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: checks.expectedNonce, requireIdToken: true });
}

/**
 * The user's part of the code flow: `agent` signs in as `email` through the form (cookies, CSRF token), opens the
 * authorization request and accepts its consent page; the redirect back to the client, for the library to check.
 */
export async function signInAndConsent(agent: BrowserAgent, email: string, request: URL | string): Promise<URL> {
  await agent.signIn(email, PASSWORD);
  return agent.consentTo(request);
}

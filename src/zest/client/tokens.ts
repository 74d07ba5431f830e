import type { ZestOAuth2 } from '../model.js';
import { ZestClientError } from './client-error.js';
import { buildStageRequest, callStage } from './stage-request.js';
import { readTokens, writeTokens, type StoredTokens } from './token-store.js';

/** Refresh this long before the access token expires, so a script never starts a call with a token about to lapse. */
export const REFRESH_MARGIN_SECONDS = 60;

export interface ClientCredentials {
  clientId: string;
  clientSecret?: string | undefined;
}

/** The token URL stage: the code (with its PKCE verifier and redirect URI) for tokens. */
export async function exchangeCode(
  oauth2: ZestOAuth2,
  client: ClientCredentials,
  grant: { code: string; redirectUri: string; codeVerifier: string },
  now: () => number,
): Promise<StoredTokens> {
  const answer = await callStage(
    oauth2.tokenUrl,
    buildStageRequest(oauth2.tokenUrl, {
      grant_type: 'authorization_code',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      code: grant.code,
      redirect_uri: grant.redirectUri,
      code_verifier: grant.codeVerifier,
    }),
  );
  return {
    oauth2: oauth2.name,
    refresh_url: oauth2.refreshUrl.path,
    client_id: client.clientId,
    ...(client.clientSecret === undefined ? {} : { client_secret: client.clientSecret }),
    ...tokenFields(oauth2.tokenUrl.path, answer, now),
  };
}

/**
 * An access token with at least REFRESH_MARGIN_SECONDS to live, from the token file, refreshed through the refresh URL
 * (and the file rewritten) when it is about to expire.
 */
export async function freshAccessToken(
  oauth2: ZestOAuth2,
  tokenFile: string,
  now: () => number,
): Promise<{ tokens: StoredTokens; refreshed: boolean }> {
  const stored = readTokens(tokenFile);
  if (stored.refresh_url !== oauth2.refreshUrl.path) {
    throw new ZestClientError(
      'zest.token_unavailable',
      `${tokenFile} holds tokens from ${stored.refresh_url}, not ${oauth2.refreshUrl.path}: run gatehouse login with this document.`,
    );
  }
  if (stored.expires_at - now() / 1000 > REFRESH_MARGIN_SECONDS) return { tokens: stored, refreshed: false };
  if (stored.refresh_token === undefined) {
    throw new ZestClientError(
      'zest.token_unavailable',
      'The access token has expired and there is no refresh token: run gatehouse login again.',
    );
  }
  const answer = await callStage(
    oauth2.refreshUrl,
    buildStageRequest(oauth2.refreshUrl, {
      grant_type: 'refresh_token',
      client_id: stored.client_id,
      client_secret: stored.client_secret,
      refresh_token: stored.refresh_token,
    }),
  );
  // Zoho does not rotate refresh tokens: the answer usually has none, and the one we hold stays good.
  const tokens = { ...stored, ...tokenFields(oauth2.refreshUrl.path, answer, now) };
  writeTokens(tokenFile, tokens);
  return { tokens, refreshed: true };
}

function tokenFields(
  url: string,
  answer: Record<string, unknown>,
  now: () => number,
): Pick<StoredTokens, 'access_token' | 'refresh_token' | 'expires_at' | 'scope' | 'api_domain'> {
  const { access_token, refresh_token, expires_in, scope, api_domain } = answer;
  if (typeof access_token !== 'string' || access_token === '') {
    throw new ZestClientError('zest.request_failed', `${url} answered without an access_token.`);
  }
  // RFC 6749 §5.1 makes expires_in only RECOMMENDED; without it, an hour, as Zoho's tokens live.
  const lifetime = typeof expires_in === 'number' ? expires_in : Number(expires_in ?? 3600);
  return {
    access_token,
    ...(typeof refresh_token === 'string' ? { refresh_token } : {}),
    expires_at: Math.floor(now() / 1000) + (Number.isFinite(lifetime) ? lifetime : 3600),
    ...(typeof scope === 'string' ? { scope } : {}),
    ...(typeof api_domain === 'string' ? { api_domain } : {}),
  };
}

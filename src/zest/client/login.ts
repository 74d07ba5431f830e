import { randomBytes } from 'node:crypto';
import type { ZestOAuth2 } from '../model.js';
import { LoopbackReceiver } from './loopback.js';
import { pkcePair } from './pkce.js';
import { buildStageRequest } from './stage-request.js';
import { writeTokens, type StoredTokens } from './token-store.js';
import { exchangeCode, type ClientCredentials } from './tokens.js';

export interface LoginOptions extends ClientCredentials {
  scopes: string[];
  tokenFile: string;
  timeoutMs: number;
  /** Shows the authorization URL to the user (prints it, opens a browser, or both). */
  present(url: string): Promise<void>;
  now: () => number;
}

/**
 * The authorization code flow of a native app (RFC 8252), driven by a ZEST `<oauth2>`: PKCE and `state`, a loopback
 * redirect, the code exchanged at the token URL, the tokens stored for `token` and `whoami`.
 */
export async function login(oauth2: ZestOAuth2, options: LoginOptions): Promise<StoredTokens> {
  const receiver = await LoopbackReceiver.listen();
  try {
    const state = randomBytes(16).toString('base64url');
    const pkce = pkcePair();
    const scopeArgument = oauth2.authorizationUrl.operation.arguments.find((argument) => argument.name === 'scope');
    const authorization = buildStageRequest(oauth2.authorizationUrl, {
      client_id: options.clientId,
      response_type: 'code',
      redirect_uri: receiver.redirectUri,
      scope: options.scopes.join(scopeArgument?.delimiter ?? ','),
      access_type: 'offline',
      state,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    });
    const code = receiver.waitForCode(state, options.timeoutMs);
    await options.present(authorization.url);
    const tokens = await exchangeCode(
      oauth2,
      options,
      { code: await code, redirectUri: receiver.redirectUri, codeVerifier: pkce.verifier },
      options.now,
    );
    writeTokens(options.tokenFile, tokens);
    return tokens;
  } finally {
    await receiver.close();
  }
}

/** The scopes to ask for: the user's, plus those the authentication URL needs, so `whoami` works afterwards. */
export function loginScopes(oauth2: ZestOAuth2, requested: readonly string[]): string[] {
  return [...new Set([...requested, ...(oauth2.authenticationUrl?.operation.authentication?.scopes ?? [])])];
}

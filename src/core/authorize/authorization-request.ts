import type { ResourceIndicators } from '../tokens/resource-indicators.js';
import type { Client } from '../clients/client.js';
import type { OAuthError } from '../errors/oauth-error.js';
import type { ClaimsRequest } from '../oidc/claims-request.js';
import type { RequestParams } from '../params/request-params.js';
import type { Scope } from '@gatehouse/resource-server';
import type { AccessType, CodeChallengeMethod, Prompt, ResponseMode, ResponseType } from './authorization-parameters.js';

/**
 * An authorization request that passed every check (RFC 6749 §4.1.1, §4.2.1; spec §2.1). Plain data, so it can wait in
 * a consent interaction and be answered later.
 */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseType: ResponseType;
  responseMode: ResponseMode;
  /** Canonical scope names, space separated. */
  scope: string;
  state: string | null;
  accessType: AccessType;
  /** The `prompt` values, none or several. */
  prompts: Prompt[];
  codeChallenge: string | null;
  codeChallengeMethod: CodeChallengeMethod | null;
  nonce: string | null;
  /** `max_age` in seconds: an older sign-in is done again. */
  maxAge: number | null;
  /** `acr_values` or an essential `acr` claim leave only the multi-factor level. */
  multiFactor: boolean;
  /** `login_hint`: what the sign-in page's email field starts with, and nothing else. */
  loginHint: string | null;
  /** The only user the answer may be for (`id_token_hint`, or the `claims` parameter's id_token `sub` value). */
  expectedSubject: string | null;
  /** RFC 8707: the resources asked for, space separated, which the code (or implicit token) grants; absent: none. */
  resources?: string;
}

/** What the checks build up, one field at a time. */
export interface AuthorizationContext {
  /** The request's parameters; a signed request object's replace them (`checkRequestObject`). */
  params: RequestParams;
  /** The parameters came to the pushed authorization request endpoint (RFC 9126), from the authenticated client. */
  pushed?: boolean;
  client?: Client;
  redirectUri?: string;
  responseType?: ResponseType;
  responseMode?: ResponseMode;
  scopes?: Scope[];
  accessType?: AccessType;
  prompts?: Prompt[];
  codeChallenge?: string | null;
  codeChallengeMethod?: CodeChallengeMethod | null;
  maxAge?: number | null;
  claims?: ClaimsRequest | null;
  multiFactor?: boolean;
  expectedSubject?: string | null;
  resources?: string | undefined;
}

/**
 * A failed request. Until the client and its redirect URI are known good the user sees the error on a page
 * (RFC 6749 §4.1.2.1: "MUST NOT automatically redirect the user-agent to the invalid redirection URI"); after that,
 * the error goes back to the client in the redirect.
 */
export class AuthorizationFailure extends Error {
  constructor(
    readonly error: OAuthError,
    /** Where to send the error; absent when it must be shown to the user instead. */
    readonly redirect?: { redirectUri: string; responseMode: 'query' | 'fragment'; state: string | null },
  ) {
    super(error.description);
    this.name = 'AuthorizationFailure';
  }
}

/**
 * A check of the authorization pipeline: reads parameters, fills in the context, or throws an OAuthError. `D` names the
 * dependencies it uses, so endpoints that reuse a check (scope enhancement) supply only those.
 */
export type AuthorizationCheck<D extends keyof AuthorizationCheckDeps = keyof AuthorizationCheckDeps> = (
  context: AuthorizationContext,
  deps: Pick<AuthorizationCheckDeps, D>,
) => void | Promise<void>;

export interface AuthorizationCheckDeps {
  findClient(clientId: string): Promise<Client | undefined>;
  parseScopes(raw: string): Scope[];
  /** The user an `id_token_hint` names, when it is an id_token this server signed for this client; else undefined. */
  idTokenHintSubject(hint: string, clientId: string): Promise<string | undefined>;
  /** The parameters a client's signed request object carries (RFC 9101; `verifyRequestObject`), or a refusal. */
  requestObjectParams(client: Client, jwt: string): Promise<Record<string, string>>;
  /** RFC 8707: the resources a client may name. */
  resources: Pick<ResourceIndicators, 'requested'>;
  /** `GATEHOUSE_REQUIRE_PAR`: every client's requests must be pushed (RFC 9126 §5). */
  requirePushedAuthorizationRequests: boolean;
}

import type { ClientRepository } from '../clients/client-repository.js';
import type { Client } from '../clients/client.js';
import { invalidRequest } from '../errors/oauth-error.js';
import { verifiedIdTokenHint } from '../oidc/id-token-hint.js';
import type { SigningKeys } from '../oidc/signing-keys.js';
import type { RequestParams } from '../params/request-params.js';
import type { SignIn } from '../sessions/sessions.js';
import { looksLikeClientId } from '../tokens/identifiers.js';

/** An RP-initiated logout request (OpenID Connect RP-Initiated Logout 1.0 §2), checked. */
export interface EndSessionRequest {
  /** The client asking: the one `client_id` names, else the id_token_hint's audience; undefined when neither. */
  client: Client | undefined;
  /** Whose id_token the client sent, and from which session. */
  hint: { sub: string; sid: string | undefined } | undefined;
  /**
   * Where the browser goes afterwards, `state` added: the `post_logout_redirect_uri` only when it is registered for
   * the client exactly (§3.1); otherwise undefined, and the user sees the signed-out page instead.
   */
  redirect: string | undefined;
  /** The parameters a confirmation form carries back (the hint is not needed again: the user answers). */
  confirmation: Record<string, string>;
}

export interface EndSessionDeps {
  clients: ClientRepository;
  signingKeys: SigningKeys;
  /** Every DC's accounts server is an issuer of this server. */
  issuer: string | readonly string[];
}

const badHint = () => invalidRequest('invalid_parameter', 'The id_token_hint is not an ID token this server issued.');

/**
 * Reads `id_token_hint`, `client_id`, `post_logout_redirect_uri` and `state`. `logout_hint` and `ui_locales` are
 * accepted and ignored (§2 makes both optional to act on). A hint that does not verify, or disagrees with `client_id`,
 * is `invalid_request`: nothing is signed out.
 */
export async function readEndSessionRequest(params: RequestParams, deps: EndSessionDeps): Promise<EndSessionRequest> {
  const hintValue = params.get('id_token_hint');
  const hint = hintValue === undefined ? undefined : await verifyHint(hintValue, deps);
  const clientId = params.get('client_id');
  if (clientId !== undefined && hint !== undefined && clientId !== hint.aud)
    throw invalidRequest('invalid_parameter', 'The client_id is not the audience of the id_token_hint.');
  let client: Client | undefined;
  if (clientId !== undefined) {
    client = looksLikeClientId(clientId) ? await deps.clients.find(clientId) : undefined;
    if (!client) throw invalidRequest('invalid_parameter', 'The client_id names no client of this server.');
  } else if (hint !== undefined) {
    // A client deleted since it got the token: the user is still signed out, only not sent back anywhere.
    client = await deps.clients.find(hint.aud);
  }
  const state = params.get('state');
  const target = params.get('post_logout_redirect_uri');
  const registered = target !== undefined && client !== undefined && client.postLogoutRedirectUris.includes(target);
  return {
    client,
    hint: hint && { sub: hint.sub, sid: hint.sid },
    redirect: registered ? withState(target, state) : undefined,
    confirmation: {
      ...(client ? { client_id: client.clientId } : {}),
      ...(registered ? { post_logout_redirect_uri: target } : {}),
      ...(state !== undefined ? { state } : {}),
    },
  };
}

/**
 * What to do for the browser's current sign-in. Signed out already: nothing to end. A hint for the signed-in user (and,
 * when it names one, this very session) proves the request comes from a client this user signed in to, so the session
 * ends at once, as Keycloak does; anything else (no hint, an older session's hint) asks the user first, so a link on
 * another site cannot sign anyone out. A hint for another user is refused: it is not this browser's logout.
 */
export function endSessionStep(request: EndSessionRequest, current: SignIn | undefined): 'nothing_to_end' | 'end' | 'confirm' {
  if (!current) return 'nothing_to_end';
  const { hint } = request;
  if (hint && hint.sub !== current.user.zuid)
    throw invalidRequest('invalid_parameter', 'The id_token_hint is for another user than the one signed in here.');
  return hint && (hint.sid === undefined || hint.sid === current.sid) ? 'end' : 'confirm';
}

/** The hint's claims, when it is an id_token this server issued to one client (`verifiedIdTokenHint`); else invalid_request. */
async function verifyHint(value: string, deps: EndSessionDeps): Promise<{ sub: string; aud: string; sid: string | undefined }> {
  const claims = await verifiedIdTokenHint(value, { keys: deps.signingKeys, issuer: deps.issuer });
  if (!claims || typeof claims.aud !== 'string') throw badHint();
  return { sub: claims.sub, aud: claims.aud, sid: typeof claims.sid === 'string' ? claims.sid : undefined };
}

/** The registered URI with `state` added to its query (§3: "state … passed to the RP in the redirect"). */
function withState(uri: string, state: string | undefined): string {
  if (state === undefined) return uri;
  const url = new URL(uri);
  url.searchParams.append('state', state);
  return url.href;
}

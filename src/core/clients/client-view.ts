import { hasSecret, registeredAuthMethod, type Client } from './client.js';

/** A client as the CLI and the management API show it: never its secret or the secret's hash. */
export function clientView(client: Client): Record<string, unknown> {
  return {
    client_id: client.clientId,
    type: client.type,
    name: client.name,
    homepage: client.homepage,
    redirect_uris: client.redirectUris,
    js_domains: client.jsDomains,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    backchannel_logout_uri: client.backchannelLogoutUri,
    backchannel_logout_session_required: client.backchannelLogoutSessionRequired,
    has_secret: hasSecret(client.type),
    dpop_bound_access_tokens: client.dpopBoundAccessTokens,
    token_endpoint_auth_method: registeredAuthMethod(client),
    // Public keys only (refused otherwise at registration), so safe to show.
    ...(client.jwks ? { jwks: client.jwks } : {}),
    ...(client.jwksUri ? { jwks_uri: client.jwksUri } : {}),
    require_signed_request_object: client.requireSignedRequestObject ?? false,
    access_token_format: client.accessTokenFormat,
    id_token_signed_response_alg: client.idTokenSignedResponseAlg,
    userinfo_signed_response_alg: client.userinfoSignedResponseAlg,
    require_pushed_authorization_requests: client.requirePushedAuthorizationRequests,
    created_at: new Date(client.createdAt).toISOString(),
    // Multi-DC (spec §1.2), named on a deployment of several: the home DC (absent: the primary) and the others enabled.
    ...(client.homeDc ? { home_dc: client.homeDc } : {}),
    ...(client.otherDcs?.length ? { other_dcs: client.otherDcs } : {}),
  };
}

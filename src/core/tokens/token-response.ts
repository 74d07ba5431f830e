import type { GatehouseConfig } from '../config/config.js';
import type { ResponseField } from '../params/definitions.js';
import { formatScopes } from '@gatehouse/resource-server';
import type { IssuedTokens } from './token-issuer.js';
import { apiDomainOf } from '../datacenters/api-domain.js';

/**
 * The token endpoint's success body in Zoho's shape (spec §3.1): seconds in `expires_in`, `api_domain` naming this
 * deployment, `scope` space separated, `refresh_token` only when one was issued.
 */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  scope: string;
  api_domain: string;
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  id_token?: string;
}

/**
 * The fields of the success body, as the ZEST export documents them and the token route serialises them. `always`:
 * every grant writes it; the others only where a grant says so (`GrantHandler.returns`).
 */
export const TOKEN_RESPONSE_FIELDS = {
  access_token: { type: 'string', always: true, description: 'The access token. Send it as Authorization: Zoho-oauthtoken <token>.' },
  refresh_token: {
    type: 'string',
    always: false,
    description: 'Obtains new access tokens; only with access_type=offline or a Self Client code. It is not rotated.',
  },
  scope: { type: 'string', always: true, description: 'The scopes granted, space separated.' },
  api_domain: { type: 'string', always: true, description: "This deployment's API base URL: send API calls there." },
  token_type: {
    type: 'string',
    always: true,
    values: ['Bearer', 'DPoP'],
    description: 'Bearer; DPoP when the request carried a DPoP proof and the access token is bound to its key (RFC 9449).',
  },
  expires_in: { type: 'integer', always: true, description: 'Seconds until the access token expires.' },
  id_token: {
    type: 'string',
    always: false,
    description: 'OpenID Connect: a signed JWT naming the user, when openid, email or profile was granted (on a refresh: when openid was).',
  },
} as const satisfies Record<keyof TokenResponse, ResponseField & { always: boolean }>;

export type TokenResponseField = keyof typeof TOKEN_RESPONSE_FIELDS;

export function tokenResponse(issued: IssuedTokens, config: GatehouseConfig): TokenResponse {
  return {
    access_token: issued.accessToken,
    ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
    scope: formatScopes(issued.scopes),
    api_domain: apiDomainOf(issued.dc, config),
    token_type: issued.jkt === undefined ? 'Bearer' : 'DPoP',
    expires_in: issued.expiresIn,
  };
}

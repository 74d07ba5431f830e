import type { GatehouseConfig } from '../config/config.js';
import { formatScopes } from '@gatehouse/resource-server';
import type { IssuedTokens } from './token-issuer.js';

/**
 * The token endpoint's success body in Zoho's shape (spec §3.1): seconds in `expires_in`, `api_domain` naming this
 * deployment, `scope` space separated, `refresh_token` only when one was issued.
 */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  scope: string;
  api_domain: string;
  token_type: 'Bearer';
  expires_in: number;
  id_token?: string;
}

export function tokenResponse(issued: IssuedTokens, config: GatehouseConfig): TokenResponse {
  return {
    access_token: issued.accessToken,
    ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
    scope: formatScopes(issued.scopes),
    api_domain: config.apiDomain,
    token_type: 'Bearer',
    expires_in: issued.expiresIn,
  };
}

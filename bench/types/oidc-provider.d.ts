/**
 * oidc-provider ships no type declarations (and there is no @types package for v9); this covers only what the
 * benchmark uses. Option names follow node_modules/oidc-provider/lib/helpers/defaults.js of the installed 9.x.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    grant_types?: string[];
    response_types?: string[];
    redirect_uris?: string[];
    token_endpoint_auth_method?: string;
    scope?: string;
  }

  /** The parts of a client and a token that an `allowedPolicy` sees. */
  export interface PolicyClient {
    clientId: string;
    clientAuthMethod: string;
  }
  export interface PolicyToken {
    clientId?: string;
  }

  export interface Configuration {
    clients?: ClientMetadata[];
    scopes?: string[];
    /** Lifetimes in seconds, by model name (AccessToken, ClientCredentials, …). */
    ttl?: Record<string, number>;
    features?: {
      clientCredentials?: { enabled: boolean };
      introspection?: {
        enabled: boolean;
        allowedPolicy?: (ctx: unknown, client: PolicyClient, token: PolicyToken) => Promise<boolean>;
      };
    };
  }

  /** A Koa application; `callback()` is its node:http request listener. */
  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
  }
}

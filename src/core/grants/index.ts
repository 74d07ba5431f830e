import { authorizationCodeGrant } from './authorization-code.js';
import { clientCredentialsGrant } from './client-credentials.js';
import { deviceCodeGrant } from './device-code.js';
import type { GrantHandler } from './grant-handler.js';
import { refreshTokenGrant } from './refresh-token.js';

/** The grant types the token endpoint serves, keyed by `grant_type`. */
export class GrantRegistry {
  private readonly handlers = new Map<string, GrantHandler>();

  constructor(handlers: readonly GrantHandler[] = [authorizationCodeGrant, refreshTokenGrant, clientCredentialsGrant, deviceCodeGrant]) {
    for (const h of handlers) this.register(h);
  }

  register(handler: GrantHandler): void {
    this.handlers.set(handler.grantType, handler);
  }

  get(grantType: string): GrantHandler | undefined {
    return this.handlers.get(grantType);
  }

  grantTypes(): string[] {
    return [...this.handlers.keys()];
  }
}

import type { Client } from '../../core/clients/client.js';

/** A client as the CLI shows it: never its secret or secret hash. */
export function clientSummary(client: Client): Record<string, unknown> {
  return {
    client_id: client.clientId,
    type: client.type,
    name: client.name,
    homepage: client.homepage,
    redirect_uris: client.redirectUris,
    js_domains: client.jsDomains,
    created_at: new Date(client.createdAt).toISOString(),
  };
}

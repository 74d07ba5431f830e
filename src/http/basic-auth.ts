import type { BasicCredentials } from '../core/clients/authenticate-client.js';
import { invalidClient } from '../core/errors/oauth-error.js';

/**
 * Reads `Authorization: Basic` client credentials. RFC 6749 §2.3.1: the id and secret are form-urlencoded before
 * being joined with ":" and base64-encoded, so they are decoded again here. Other schemes are not client auth.
 */
export function readBasicCredentials(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient('client_unknown', 'The Basic credentials are malformed.');
  try {
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw invalidClient('client_unknown', 'The Basic credentials are not properly encoded.');
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

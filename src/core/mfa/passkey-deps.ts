import type { AuditLog } from '../audit/audit-log.js';
import type { GatehouseConfig } from '../config/config.js';
import { ManagementError } from '../errors/management-error.js';
import type { StoreOf } from '../store.js';
import type { ChallengeDeps } from './passkey-challenges.js';
import { relyingParty, type RelyingParty } from './relying-party.js';

/** What adding and checking passkeys needs; the Gatehouse composition root has all of it. */
export interface PasskeyDeps extends ChallengeDeps {
  storage: StoreOf<'passkeys' | 'passkeyChallenges' | 'auditEvents'>;
  config: Pick<GatehouseConfig, 'issuer'>;
  audit: AuditLog;
}

/** The relying party, or a clear refusal on an issuer that is an IP address (the pages do not offer passkeys there). */
export function requireRelyingParty(deps: Pick<PasskeyDeps, 'config'>): RelyingParty {
  const rp = relyingParty(deps.config.issuer);
  if (!rp)
    throw new ManagementError(
      'mfa.passkeys_unavailable',
      'Passkeys need this server to be reached by a host name, not an IP address.',
      400,
    );
  return rp;
}

/** The user handle a passkey carries (WebAuthn `user.id`): the user's zuid, as bytes. */
export const userHandle = (userZuid: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(userZuid, 'utf8'));

/** A browser's answer (the JSON `@simplewebauthn/browser` makes), or undefined when it is not an object with an ID. */
export function parseCredentialJson<T extends { id: string }>(json: string | undefined): T | undefined {
  if (json === undefined || json.length > MAX_RESPONSE_LENGTH) return undefined;
  try {
    const value = JSON.parse(json) as { id?: unknown; response?: unknown } | null;
    const wellFormed =
      typeof value?.id === 'string' &&
      value.id.length > 0 &&
      value.id.length <= 1400 &&
      typeof value.response === 'object' &&
      value.response !== null;
    return wellFormed ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Far above any answer without attestation certificates (Gatehouse asks for none), far below a memory problem. */
const MAX_RESPONSE_LENGTH = 16_000;

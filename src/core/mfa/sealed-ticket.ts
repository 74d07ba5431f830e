import { SealOpenError, type SecretSeal } from '../secret-seal.js';

/**
 * A short-lived value handed to the browser (a cookie, a hidden form field) that only this server can read or make:
 * sealed under the server key, for one label, with its expiry inside. What the browser holds proves nothing else.
 */
export function sealTicket(seal: SecretSeal, label: string, value: string, expiresAt: number): Promise<string> {
  return seal.seal(JSON.stringify({ value, expiresAt }), label);
}

/** The value, or undefined for a ticket that is expired, malformed, forged, or sealed for another label. */
export async function openTicket(seal: SecretSeal, label: string, ticket: string | undefined, now: number): Promise<string | undefined> {
  if (ticket === undefined || ticket.length > 2000) return undefined;
  try {
    const parsed = JSON.parse(await seal.open(ticket, label)) as { value?: unknown; expiresAt?: unknown };
    return typeof parsed.value === 'string' && typeof parsed.expiresAt === 'number' && parsed.expiresAt > now ? parsed.value : undefined;
  } catch (err) {
    if (err instanceof SealOpenError || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

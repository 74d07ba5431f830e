import { randomBytes, randomInt } from 'node:crypto';

/**
 * The shapes of Gatehouse's identifiers (spec decision 4). Every one is drawn from the CSPRNG; the opaque tokens carry
 * 256 bits of entropy, so a fast keyed hash is the right way to store them (see `credential-hasher.ts`).
 */

/** Codes, access and refresh tokens: `1000.<32 hex>.<32 hex>`. */
export function newOpaqueToken(): string {
  const bytes = randomBytes(32).toString('hex');
  return `1000.${bytes.slice(0, 32)}.${bytes.slice(32)}`;
}

const OPAQUE_TOKEN = /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/;
/** A cheap shape check that spares the store a lookup for anything that cannot be ours. */
export function looksLikeOpaqueToken(value: string): boolean {
  return OPAQUE_TOKEN.test(value);
}

const CLIENT_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Client IDs: `1000.` + 30 upper-case alphanumerics. */
export function newClientId(): string {
  let id = '1000.';
  for (let i = 0; i < 30; i++) id += CLIENT_ID_ALPHABET[randomInt(CLIENT_ID_ALPHABET.length)];
  return id;
}

/** Client secrets: 42 lower-case hex characters (168 bits). */
export function newClientSecret(): string {
  return randomBytes(21).toString('hex');
}

/** ZUIDs are numeric; twelve digits with no leading zero stay within JavaScript's safe integers. */
export function newZuid(): string {
  return String(randomInt(100_000_000_000, 999_999_999_999));
}

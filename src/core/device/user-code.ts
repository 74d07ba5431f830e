import { randomInt } from 'node:crypto';

/**
 * User codes of the device flow (RFC 8628 §6.1): eight letters from an alphabet without vowels (no words) and without
 * letters easily mistaken for another, shown as `WDJB-MJHT`. 20^8 codes, about 34 bits: a code lives five minutes,
 * and entering one is rate-limited per user, so guessing a live one is hopeless.
 */
const ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const LENGTH = 8;

export function newUserCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What the user typed, as the code it stands for (any case, dashes and spaces ignored), or undefined if it cannot be one. */
export function normaliseUserCode(typed: string): string | undefined {
  const letters = typed.toUpperCase().replace(/[\s-]/g, '');
  return letters.length === LENGTH && [...letters].every((c) => ALPHABET.includes(c)) ? letters : undefined;
}

import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app understands it: SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** Codes of the step before and after the current one are accepted too: clocks drift, people type slowly. */
const WINDOW = 1;

function totp(base32Secret: string, label = ''): TOTP {
  return new TOTP({
    issuer: 'Gatehouse',
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(base32Secret),
  });
}

/** A new shared secret: 160 random bits (RFC 4226 §4 recommends that length), base32 as apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/…` URI an app scans (as a QR code) or opens. */
export function totpUri(base32Secret: string, accountName: string): string {
  return totp(base32Secret, accountName).toString();
}

/**
 * The time step a code is right for, within the window around `now`; undefined for a wrong or malformed code. Whether
 * that step may still be used (no replay) is the store's to decide (`FactorRepository.useTotpStep`).
 */
export function matchingStep(base32Secret: string, code: string, now: number): number | undefined {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const generator = totp(base32Secret);
  const delta = generator.validate({ token, timestamp: now, window: WINDOW });
  return delta === null ? undefined : generator.counter({ timestamp: now }) + delta;
}

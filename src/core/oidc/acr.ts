/**
 * Gatehouse's Authentication Context Class References (OpenID Connect Core §2 `acr`, requested with `acr_values` or
 * the `claims` parameter). Two levels, named as URNs of our own rather than borrowed: `phr`/`phrh` promise phishing
 * resistance, which a TOTP code does not give, and Keycloak's bare `0`/`1`/`2` mean whatever each server configures.
 * The levels are ordered: a multi-factor sign-in meets a request for the password level, and the id_token says the
 * level reached.
 */
export const ACR_PASSWORD = 'urn:gatehouse:loa:1';
export const ACR_MULTI_FACTOR = 'urn:gatehouse:loa:2';
export const ACR_VALUES = [ACR_PASSWORD, ACR_MULTI_FACTOR] as const;

/** Whether a sign-in (RFC 8176 `amr` values, space separated) used more than one factor. */
export function isMultiFactor(amr: string): boolean {
  return amr.split(' ').includes('mfa');
}

/** The level a sign-in reached, for the id_token's `acr`. */
export function acrOf(amr: string): string {
  return isMultiFactor(amr) ? ACR_MULTI_FACTOR : ACR_PASSWORD;
}

/**
 * Whether the acceptable values a request names leave only the multi-factor level. Values Gatehouse does not know are
 * passed over (they are requests, not orders: OpenID Connect Core §3.1.2.1); a list naming none of ours asks nothing.
 */
export function demandsMultiFactor(acceptable: readonly string[]): boolean {
  const known = knownAcrValues(acceptable);
  return known.length > 0 && known.every((value) => value === ACR_MULTI_FACTOR);
}

/** The values of a list that are Gatehouse's levels. */
export function knownAcrValues(values: readonly string[]): string[] {
  return values.filter((value) => (ACR_VALUES as readonly string[]).includes(value));
}

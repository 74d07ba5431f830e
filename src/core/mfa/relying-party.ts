import { isIP } from 'node:net';

/** Who passkeys are made for (WebAuthn's relying party): the issuer's host name and origin. */
export interface RelyingParty {
  /** The RP ID: the issuer's host name. A passkey made for it works on this host (and only here). */
  id: string;
  /** The one origin whose pages may answer a challenge: the issuer's. */
  origin: string;
  name: string;
}

/**
 * The relying party of an issuer, or undefined when passkeys cannot work there: browsers refuse WebAuthn on an
 * IP-address origin (an RP ID must be a domain; Chromium says "This is an invalid domain"), so a Gatehouse reached as
 * `http://127.0.0.1:…` offers no passkeys. `localhost` is a domain, and browsers treat it as a secure context.
 */
export function relyingParty(issuer: string): RelyingParty | undefined {
  const url = new URL(issuer);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) return undefined;
  return { id: host, origin: url.origin, name: 'Gatehouse' };
}

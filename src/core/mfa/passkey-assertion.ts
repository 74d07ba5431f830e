import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { RelyingParty } from './relying-party.js';
import { CHALLENGE_MS, issueChallenge, takeChallenge } from './passkey-challenges.js';
import { parseCredentialJson, requireRelyingParty, userHandle, type PasskeyDeps } from './passkey-deps.js';
import type { Passkey } from './passkey-repository.js';

/**
 * Which assertion is asked for: a passkey of this user after the password (presence is enough: the password was the
 * other factor), or any passkey alone, which must then show user verification (a PIN or biometric) to be two factors.
 */
export type AssertionPurpose = { purpose: 'second-factor'; userZuid: string } | { purpose: 'passwordless'; userZuid: null };

/** Why an assertion was refused, as audit events say it. No key material, no challenge. */
export type AssertionFailure = 'malformed' | 'unknown_passkey' | 'challenge' | 'verification' | 'counter_regression';

export type AssertionCheck = { status: 'ok'; passkey: Passkey } | { status: 'invalid'; reason: AssertionFailure; passkey?: Passkey };

/** What the browser needs to ask an authenticator for a signature; for the second step, only the user's passkeys. */
export async function passkeyAssertionOptions(
  expected: AssertionPurpose,
  address: string,
  deps: PasskeyDeps,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rp = requireRelyingParty(deps);
  const mine = expected.userZuid === null ? [] : await deps.storage.passkeys.listForUser(expected.userZuid);
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge: await issueChallenge(expected.purpose, expected.userZuid, address, deps),
    timeout: CHALLENGE_MS,
    userVerification: expected.purpose === 'passwordless' ? 'required' : 'preferred',
    allowCredentials: mine.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransport[] })),
  });
}

/**
 * Checks a browser's assertion: a known passkey (the expected user's, for the second step), answering a challenge
 * issued for this purpose (taken once, so never answered twice), from the issuer's origin, for the issuer's RP ID,
 * signed by the passkey's key, with user verification where asked. Then the signature counter, atomically in the
 * store: an authenticator that keeps one must show a higher count than last time, else it may be a clone (refused,
 * and the caller audits `counter_regression`). The caller reserves its place under the limits first.
 */
export async function checkAssertion(
  responseJson: string | undefined,
  expected: AssertionPurpose,
  deps: PasskeyDeps,
): Promise<AssertionCheck> {
  const rp = requireRelyingParty(deps);
  const response = parseCredentialJson<AuthenticationResponseJSON>(responseJson);
  if (!response) return { status: 'invalid', reason: 'malformed' };
  const passkey = await deps.storage.passkeys.find(response.id);
  if (!passkey || (expected.userZuid !== null && passkey.userZuid !== expected.userZuid))
    return { status: 'invalid', reason: 'unknown_passkey' };
  // A discoverable passkey names its user too; it must be the one it was added for.
  const handle = response.response.userHandle;
  if (handle !== undefined && handle !== isoBase64URL.fromBuffer(userHandle(passkey.userZuid)))
    return { status: 'invalid', reason: 'unknown_passkey', passkey };
  const counter = await verifiedCounter(response, passkey, expected, rp, deps);
  if (typeof counter === 'string') return { status: 'invalid', reason: counter, passkey };
  if (!(await deps.storage.passkeys.useCounter(passkey.credentialId, counter, deps.now())))
    return { status: 'invalid', reason: 'counter_regression', passkey };
  return { status: 'ok', passkey };
}

/** The library's checks; the counter it reads, or why it refused (whether the challenge was what failed). */
async function verifiedCounter(
  response: AuthenticationResponseJSON,
  passkey: Passkey,
  expected: AssertionPurpose,
  rp: RelyingParty,
  deps: PasskeyDeps,
): Promise<number | AssertionFailure> {
  let failure: AssertionFailure = 'malformed';
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: async (challenge) => {
        const taken = await takeChallenge(challenge, expected, deps);
        failure = taken ? 'verification' : 'challenge';
        return taken;
      },
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // Counter 0 here: the store's conditional update (`useCounter`) is the counter check, atomic across nodes.
      credential: {
        id: passkey.credentialId,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: 0,
        transports: passkey.transports as AuthenticatorTransport[],
      },
      requireUserVerification: expected.purpose === 'passwordless',
    });
    return result.verified ? result.authenticationInfo.newCounter : 'verification';
  } catch {
    // The library throws for every malformed or wrong answer (origin, RP ID, flags, signature, challenge).
    return failure;
  }
}

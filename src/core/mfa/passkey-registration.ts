import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type AuthenticatorTransport,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { byUser } from '../audit/audit-log.js';
import { ManagementError } from '../errors/management-error.js';
import type { User } from '../users/user.js';
import { CHALLENGE_MS, issueChallenge, takeChallenge } from './passkey-challenges.js';
import { parseCredentialJson, requireRelyingParty, userHandle, type PasskeyDeps } from './passkey-deps.js';
import type { Passkey } from './passkey-repository.js';

/**
 * What the browser needs to make a passkey for this user: a discoverable credential (so it can sign in without the
 * email) with user verification (a PIN or a biometric, so the passkey alone is two factors), no attestation (Gatehouse
 * trusts no vendor list), and the user's passkeys excluded (one authenticator is not added twice).
 */
export async function passkeyRegistrationOptions(
  user: User,
  address: string,
  deps: PasskeyDeps,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const rp = requireRelyingParty(deps);
  const existing = await deps.storage.passkeys.listForUser(user.zuid);
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.displayName,
    userID: userHandle(user.zuid),
    challenge: await issueChallenge('register', user.zuid, address, deps),
    timeout: CHALLENGE_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransport[] })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
}

/**
 * Adds the passkey a browser made for a challenge issued to this user: the answer must name that challenge (taken
 * once), come from the issuer's origin, be made for the issuer's host name (RP ID), and show user verification. The
 * passkey and its audit event land together.
 */
export async function addPasskey(
  user: User,
  responseJson: string | undefined,
  name: string,
  address: string,
  deps: PasskeyDeps,
): Promise<Passkey> {
  const rp = requireRelyingParty(deps);
  const response = parseCredentialJson<RegistrationResponseJSON>(responseJson);
  const verified = response && (await verifyRegistration(response, user, rp, deps));
  if (!verified) throw new ManagementError('mfa.passkey_invalid', 'The passkey could not be added. Try again.', 400);
  const { credential } = verified;
  const transports = credential.transports ?? [];
  const passkey: Passkey = {
    credentialId: credential.id,
    userZuid: user.zuid,
    publicKey: isoBase64URL.fromBuffer(credential.publicKey),
    counter: credential.counter,
    transports,
    name: passkeyName(name, transports),
    createdAt: deps.now(),
    lastUsedAt: null,
  };
  await deps.storage.transaction(async (tx) => {
    if (await tx.passkeys.find(passkey.credentialId))
      throw new ManagementError('mfa.passkey_exists', 'This passkey is already added.', 409);
    await tx.passkeys.add(passkey);
    await deps.audit.appendIn(tx.auditEvents, byUser(user, address), {
      type: 'user.passkey.added',
      userZuid: user.zuid,
      subject: describePasskey(passkey),
    });
  });
  return passkey;
}

async function verifyRegistration(response: RegistrationResponseJSON, user: User, rp: { id: string; origin: string }, deps: PasskeyDeps) {
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: (challenge) => takeChallenge(challenge, { purpose: 'register', userZuid: user.zuid }, deps),
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
    return result.verified ? result.registrationInfo : undefined;
  } catch {
    // The library throws for every malformed or wrong answer (origin, RP ID, flags, challenge): all are "not added".
    return undefined;
  }
}

const MAX_NAME = 60;

/** The user's label, or one from how the authenticator is reached (no vendor list: attestation is not asked for). */
export function passkeyName(typed: string, transports: readonly string[]): string {
  const name = typed.trim().replace(/\s+/g, ' ').slice(0, MAX_NAME);
  if (name) return name;
  if (transports.includes('internal')) return 'Passkey on this device';
  if (transports.includes('hybrid')) return 'Passkey on a phone';
  if (transports.some((t) => t === 'usb' || t === 'nfc' || t === 'ble')) return 'Security key';
  return 'Passkey';
}

/** How an audit event names a passkey: its label and the start of its credential ID (public, and enough to tell two apart). */
export function describePasskey(passkey: Pick<Passkey, 'name' | 'credentialId'>): string {
  return `${passkey.name} (${passkey.credentialId.slice(0, 8)}…)`;
}

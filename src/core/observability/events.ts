import type { ClientType } from '../clients/client.js';

/** How a sign-in step ended: passed; refused (wrong password or code, unknown email, disabled account); or refused by the limit unchecked. */
export const SIGN_IN_OUTCOMES = ['success', 'failure', 'throttled'] as const;
export type SignInOutcome = (typeof SIGN_IN_OUTCOMES)[number];

/**
 * Which step of signing in ended so: the password, the second factor asked after it of a user who has one, or a
 * passkey alone (no password).
 */
export const SIGN_IN_STEPS = ['password', 'second_factor', 'passkey'] as const;
export type SignInStep = (typeof SIGN_IN_STEPS)[number];

/** What was revoked: one token (RFC 7009, `token revoke`), or a user's whole grant to a client (connected apps, console). */
export const REVOCATION_KINDS = ['token', 'grant'] as const;
export type RevocationKind = (typeof REVOCATION_KINDS)[number];

/** The limits a refusal is counted under; see `limitOfKey`. */
export const LIMIT_NAMES = ['sign_in', 'refresh_rate', 'code_rate', 'device_user_code'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/**
 * What the protocol tells whoever watches it (the Prometheus metrics, the console's overview). The core owns this
 * interface and knows nothing of who implements it. A Gatehouse always has one watcher, the overview's hourly counts
 * (`HourlyActivity`); the metrics are added only when they are on. Each call is made on the request's path, after the
 * event: an implementation must be cheap and must not throw.
 */
export interface GatehouseEvents {
  /** A token response (or an implicit-flow token) was issued; `grant` is a grant type the registry knows. */
  tokenIssued(grant: string, clientType: ClientType): void;
  revoked(kind: RevocationKind): void;
  signIn(outcome: SignInOutcome, step: SignInStep): void;
  /** A reservation was refused: the limit was full. */
  limitRefused(limit: LimitName): void;
}

/** Both watchers, `first` then `second`. */
export function bothEvents(first: GatehouseEvents, second: GatehouseEvents): GatehouseEvents {
  return {
    tokenIssued(grant, clientType) {
      first.tokenIssued(grant, clientType);
      second.tokenIssued(grant, clientType);
    },
    revoked(kind) {
      first.revoked(kind);
      second.revoked(kind);
    },
    signIn(outcome, step) {
      first.signIn(outcome, step);
      second.signIn(outcome, step);
    },
    limitRefused(limit) {
      first.limitRefused(limit);
      second.limitRefused(limit);
    },
  };
}

export interface User {
  zuid: string;
  /** Stored lower-cased; unique. */
  email: string;
  /** argon2id PHC string. */
  passwordHash: string;
  firstName: string;
  lastName: string;
  displayName: string;
  isAdmin: boolean;
  /** Set for the first admin's one-time password: the sign-in page must ask for a new one. */
  mustChangePassword: boolean;
  /** Set by an administrator: the user cannot sign in, and no token is issued for them. */
  disabled: boolean;
  createdAt: number;
  /** The home data centre's location (spec §9); null or absent: the primary DC. Set at creation, never changed. */
  dc?: string | null;
}

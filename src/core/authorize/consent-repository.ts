/** What a user has agreed to let a client do: the union of every scope granted to it, and when. */
export interface Consent {
  userZuid: string;
  clientId: string;
  scopes: string;
  firstGrantedAt: number;
  lastGrantedAt: number;
}

export interface ConsentRepository {
  find(userZuid: string, clientId: string): Promise<Consent | undefined>;
  /** Records a grant, adding `scopes` (space separated) to what the user granted the client before. */
  grant(userZuid: string, clientId: string, scopes: string, now: number): Promise<void>;
  listForUser(userZuid: string): Promise<Consent[]>;
  /** Every user's consent to one client: who granted it. */
  listForClient(clientId: string): Promise<Consent[]>;
  /** Forgets the consent; false when there was none. */
  revoke(userZuid: string, clientId: string): Promise<boolean>;
}

/**
 * A consent page shown to a user: the validated authorization request it asks about, answerable once. `id` is the
 * keyed hash of the value the page's form carries.
 */
export interface Interaction {
  id: string;
  userZuid: string;
  clientId: string;
  /** The validated authorization request, as JSON. */
  request: string;
  createdAt: number;
  expiresAt: number;
}

export interface InteractionRepository {
  create(interaction: Interaction): Promise<void>;
  /**
   * Takes the interaction if it is live and was shown to `userZuid`, atomically: a replayed answer finds nothing, and
   * another user's answer leaves it for its own user.
   */
  consume(id: string, userZuid: string, now: number): Promise<Interaction | undefined>;
  deleteExpired(before: number): Promise<number>;
}

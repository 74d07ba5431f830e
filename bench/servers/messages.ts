/** What passes between the bench and a server's process (`server-process.ts`, `child-process.ts`). */

export type ServerName = 'gatehouse' | 'oidc-provider' | 'bare-http';

/** From the bench: stop, or purge what expired before a time and answer with a `PurgeAnswer`. */
export type ParentMessage = 'stop' | { purgeBefore: number };

export interface PurgeAnswer {
  deleted: number;
  milliseconds: number;
}

import type { GuardOptions } from '../guard.js';

export interface ProtectOptions extends GuardOptions {
  /** The realm named in `WWW-Authenticate` (default "api"). */
  realm?: string;
}

export const realmOf = (options: ProtectOptions): string => options.realm ?? 'api';

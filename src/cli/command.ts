import type { ManagementError } from '../core/errors/management-error.js';
import type { Settings } from './settings.js';

export type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean; description: string; required?: boolean };
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** What a command prints: `json` under --json (exactly one object on stdout), `text` otherwise. */
export interface CommandResult {
  json: Record<string, unknown>;
  text: string;
}

/** One CLI command: its words (`client create`), its options, and what it does. */
export interface Command {
  words: string[];
  summary: string;
  options: Record<string, OptionSpec>;
  /**
   * What the command needs of the database. Unset: one that exists already, so a command run from the wrong directory
   * (the default `sqlite:./data/gatehouse.db` is relative) fails naming the database instead of making an empty one and
   * answering from it. `creates`: it may make the database (serve, migrate, the first user). `none`: it opens none.
   */
  database?: 'creates' | 'none';
  /**
   * Problems with the option values that need no database, each naming its option in `field`; reported together with
   * any missing required options, before anything is opened.
   */
  validate?(values: OptionValues): ManagementError[];
  /** Resolves to what to print, or to nothing when the command printed for itself (serve). */
  run(values: OptionValues, settings: Settings, output: { json: boolean }): Promise<CommandResult | void>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function requireOption(values: OptionValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function listOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [String(value)];
  // Both `--redirect-uri A --redirect-uri B` and Zoho's comma-separated `A,B` are accepted.
  return items
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Values the server generates once and keeps in its store, such as the credential hash key (`hash-key.ts`). */
export interface SettingsRepository {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` unless the key is set already; returns what is stored. Safe under concurrent first starts. */
  getOrCreate(key: string, value: string): Promise<string>;
}

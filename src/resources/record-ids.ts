import { createHash, randomInt } from 'node:crypto';

/**
 * Record IDs: 19-digit numeric strings like Zoho's (`4876876000000123001`), as Zoho's SDKs parse IDs with BigInt.
 * The millisecond clock leads, so they sort by creation and have a fixed width; six random digits follow.
 */
export function newRecordId(now: number): string {
  return `${now}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

/** A stable numeric ID for something that has a name but no row (a field, a module, an org). */
export function stableNumericId(name: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(name).digest('hex').slice(0, 15)}`).toString();
  return `1000${digits.padStart(18, '0').slice(-15)}`;
}

import { createHash, randomInt } from 'node:crypto';

/**
 * Record IDs: 19-digit numeric strings like Zoho's (`4876876000000123001`), as Zoho's SDKs parse IDs with BigInt.
 * The millisecond clock leads and six random digits follow, so IDs have a fixed width and sort by creation; within one
 * millisecond this sequence still counts upwards, so "newest first" holds for records made in the same instant.
 */
export class RecordIdSequence {
  private last = 0n;

  next(now: number): string {
    let id = BigInt(now) * 1_000_000n + BigInt(randomInt(0, 1_000_000));
    if (id <= this.last) id = this.last + 1n;
    this.last = id;
    return id.toString();
  }
}

/** A stable numeric ID for something that has a name but no row (a field, a module, an org). */
export function stableNumericId(name: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(name).digest('hex').slice(0, 15)}`).toString();
  return `1000${digits.padStart(18, '0').slice(-15)}`;
}

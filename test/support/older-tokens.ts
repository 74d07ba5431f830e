import { randomBytes } from 'node:crypto';

/**
 * A code or token as Gatehouse minted them before they carried their issue time: 64 random hex digits, here with the
 * first 12 chosen (`leading` repeated, or given whole) to exercise how lookups tell the two formats apart.
 */
export function tokenWithoutIssueTime(leading: string): string {
  const first = leading.length === 12 ? leading : leading.repeat(12);
  return `1000.${first}${randomBytes(10).toString('hex')}.${randomBytes(16).toString('hex')}`;
}

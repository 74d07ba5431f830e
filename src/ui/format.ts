/** A moment as every page shows it: to the minute, in UTC, so it reads the same for everyone. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

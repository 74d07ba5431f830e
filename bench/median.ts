/** The median of a sorted list (the lower of the two middles for an even count, so always a measured value). */
export function middle<T>(sorted: readonly T[]): T {
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

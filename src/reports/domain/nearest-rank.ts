/**
 * Nearest-rank percentile: the smallest value such that at least p% of the data is <= it,
 * i.e. sorted[ceil(p/100 * n) - 1] (p = 0 yields the minimum). Always returns an observed value.
 */
export function nearestRank(sortedAscending: ArrayLike<number>, percentile: number): number {
  const n = sortedAscending.length;
  if (n === 0) throw new RangeError('nearestRank needs at least one value');
  if (!(percentile >= 0 && percentile <= 100)) {
    throw new RangeError(`percentile must be within [0, 100], got ${percentile}`);
  }
  // Multiply before dividing: (7 / 100) * 100 is 7.000000000000001 in floating point.
  const rank = Math.max(1, Math.ceil((percentile * n) / 100));
  return sortedAscending[rank - 1];
}

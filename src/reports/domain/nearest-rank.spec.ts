import { nearestRank } from './nearest-rank.js';

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

describe('nearestRank', () => {
  it('returns the p-th value of 1..100', () => {
    expect(nearestRank(oneToHundred, 50)).toBe(50);
    expect(nearestRank(oneToHundred, 90)).toBe(90);
    expect(nearestRank(oneToHundred, 99)).toBe(99);
    expect(nearestRank(oneToHundred, 100)).toBe(100);
    expect(nearestRank(oneToHundred, 1)).toBe(1);
  });

  it('is not thrown off by floating point (7% of 100 is rank 7)', () => {
    for (let p = 1; p <= 100; p++) expect(nearestRank(oneToHundred, p)).toBe(p);
  });

  it('returns the minimum for p = 0', () => {
    expect(nearestRank([3, 5, 9], 0)).toBe(3);
  });

  it('rounds the rank up (classic example 15, 20, 35, 40, 50)', () => {
    const data = [15, 20, 35, 40, 50];
    expect(nearestRank(data, 5)).toBe(15);
    expect(nearestRank(data, 30)).toBe(20);
    expect(nearestRank(data, 40)).toBe(20);
    expect(nearestRank(data, 50)).toBe(35);
    expect(nearestRank(data, 100)).toBe(50);
  });

  it('returns the only value of a single-element list for every percentile', () => {
    for (const p of [0, 1, 50, 99, 100]) expect(nearestRank([42], p)).toBe(42);
  });

  it('always returns an observed value, never an interpolation', () => {
    expect(nearestRank([10, 20], 50)).toBe(10);
    expect(nearestRank([10, 20], 51)).toBe(20);
  });

  it('accepts typed arrays', () => {
    expect(nearestRank(Float64Array.from([1, 2, 3, 4]), 75)).toBe(3);
  });

  it('rejects an empty list', () => {
    expect(() => nearestRank([], 50)).toThrow(RangeError);
  });

  it.each([-1, 100.5, NaN])('rejects percentile %p', (p) => {
    expect(() => nearestRank([1, 2, 3], p)).toThrow(RangeError);
  });
});

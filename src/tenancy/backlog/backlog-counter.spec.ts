import { BacklogCounter } from './backlog-counter.js';

describe('BacklogCounter', () => {
  it('admits up to the limit per tenant, counting what it admitted', () => {
    const counter = new BacklogCounter(3);
    counter.refreshed(new Map([['a', 1]]), new Map());
    expect([counter.admit('a'), counter.admit('a'), counter.admit('a')]).toEqual([true, true, false]);
    expect(counter.admit('b')).toBe(true);
  });

  it('forgets admissions a refresh has counted, and keeps those made while it read', () => {
    const counter = new BacklogCounter(3);
    counter.admit('a');
    counter.admit('a');
    const beforeRead = counter.snapshotAdmitted();
    counter.admit('a'); // admitted while the count was being read
    counter.refreshed(new Map([['a', 2]]), beforeRead);
    expect(counter.admit('a')).toBe(false); // 2 counted + 1 admitted since
    counter.refreshed(new Map([['a', 0]]), counter.snapshotAdmitted());
    expect(counter.admit('a')).toBe(true);
  });
});

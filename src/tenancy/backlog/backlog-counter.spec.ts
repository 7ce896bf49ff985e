import { BacklogCounter } from './backlog-counter.js';

describe('BacklogCounter', () => {
  const admit = (counter: BacklogCounter, tenant: string) => {
    if (!counter.hasRoom(tenant)) return false;
    counter.submitted(tenant);
    return true;
  };

  it('admits up to the limit per tenant, counting what went through', () => {
    const counter = new BacklogCounter(3);
    counter.refreshed(new Map([['a', 1]]), new Map());
    expect([admit(counter, 'a'), admit(counter, 'a'), admit(counter, 'a')]).toEqual([true, true, false]);
    expect(admit(counter, 'b')).toBe(true);
  });

  it('forgets admissions a refresh has counted, and keeps those made while it read', () => {
    const counter = new BacklogCounter(3);
    admit(counter, 'a');
    admit(counter, 'a');
    const beforeRead = counter.snapshotAdmitted();
    admit(counter, 'a'); // went through while the count was being read
    counter.refreshed(new Map([['a', 2]]), beforeRead);
    expect(admit(counter, 'a')).toBe(false); // 2 counted + 1 since
    counter.refreshed(new Map([['a', 0]]), counter.snapshotAdmitted());
    expect(admit(counter, 'a')).toBe(true);
  });
});

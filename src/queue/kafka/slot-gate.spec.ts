import { SlotGate } from './slot-gate.js';

describe('SlotGate', () => {
  it('hands out at most its slots', () => {
    const gate = new SlotGate(2);
    expect(gate.tryAcquire()).toBe(true);
    expect(gate.tryAcquire()).toBe(true);
    expect(gate.tryAcquire()).toBe(false);
    expect(gate.free).toBe(0);
    gate.release();
    expect(gate.tryAcquire()).toBe(true);
    expect(gate.inUse).toBe(2);
  });

  it('tells a listener once, at the next release', () => {
    const gate = new SlotGate(1);
    gate.tryAcquire();
    const calls: string[] = [];
    gate.onRelease(() => calls.push('resume'));
    expect(calls).toEqual([]);
    gate.release();
    gate.tryAcquire();
    gate.release();
    expect(calls).toEqual(['resume']);
  });

  it('calls a listener at once when a slot is free', () => {
    const gate = new SlotGate(1);
    let called = false;
    gate.onRelease(() => (called = true));
    expect(called).toBe(true);
  });

  it('refuses new work once closed and releases listeners', () => {
    const gate = new SlotGate(1);
    gate.tryAcquire();
    let called = false;
    gate.onRelease(() => (called = true));
    gate.close();
    expect(called).toBe(true);
    expect(gate.tryAcquire()).toBe(false);
    expect(gate.free).toBe(0);
  });
});

describe('SlotGate.waitForRelease', () => {
  it('answers at once when a slot is free, at the release when one frees, false after the timeout', async () => {
    const gate = new SlotGate(1);
    expect(await gate.waitForRelease(10)).toBe(true);
    gate.tryAcquire();
    expect(await gate.waitForRelease(5)).toBe(false);
    const waiting = gate.waitForRelease(60_000);
    gate.release();
    expect(await waiting).toBe(true);
  });
});

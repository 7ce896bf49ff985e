import { SlotGate } from './slot-gate.js';

describe('SlotGate', () => {
  it('hands out at most its slots', () => {
    const gate = new SlotGate(2);
    expect(gate.tryAcquire()).toBe(true);
    expect(gate.tryAcquire()).toBe(true);
    expect(gate.tryAcquire()).toBe(false);
    gate.release();
    expect(gate.tryAcquire()).toBe(true);
    expect(gate.inUse).toBe(2);
  });

  it('wakes a waiter when a slot is released', async () => {
    const gate = new SlotGate(1);
    gate.tryAcquire();
    const waiting = gate.waitForSlot(60_000);
    gate.release();
    await waiting;
    expect(gate.tryAcquire()).toBe(true);
  });

  it('lets a waiter time out so the caller can heartbeat', async () => {
    const gate = new SlotGate(1);
    gate.tryAcquire();
    await gate.waitForSlot(5);
    expect(gate.tryAcquire()).toBe(false);
  });

  it('refuses new work once closed and releases waiters', async () => {
    const gate = new SlotGate(1);
    gate.tryAcquire();
    const waiting = gate.waitForSlot(60_000);
    gate.close();
    await waiting;
    expect(() => gate.tryAcquire()).toThrow(/shutting down/);
  });
});

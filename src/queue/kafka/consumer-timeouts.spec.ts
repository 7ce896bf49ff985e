import { consumerTimeouts } from './consumer-timeouts.js';

describe('consumerTimeouts', () => {
  it.each([
    [1000, 6000, 2000],
    [3000, 6000, 2000],
    [5000, 10_000, 3000],
    [30_000, 30_000, 3000],
    [3_600_000, 30_000, 3000],
  ])('lease %i ms → session %i ms, heartbeat %i ms', (lease, session, heartbeat) => {
    expect(consumerTimeouts(lease)).toEqual({
      sessionTimeout: session,
      heartbeatInterval: heartbeat,
    });
  });
});

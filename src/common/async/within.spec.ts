import { settledWithin } from './within.js';

describe('settledWithin', () => {
  it('is true when the work settles in time, even by failing', async () => {
    await expect(settledWithin(Promise.resolve(1), 1000)).resolves.toBe(true);
    await expect(settledWithin(Promise.reject(new Error('no')), 1000)).resolves.toBe(true);
  });

  it('gives up on work that never settles', async () => {
    await expect(settledWithin(new Promise(() => undefined), 20)).resolves.toBe(false);
  });
});

import { StreamQuota } from './stream-quota.js';

describe('StreamQuota', () => {
  it('caps open streams per owner and frees a slot once per release', () => {
    const quota = new StreamQuota(2);
    const first = quota.take('key:a');
    quota.take('key:a');
    expect(() => quota.take('key:a')).toThrow(expect.objectContaining({ status: 429 }) as Error);
    expect(() => quota.take('key:b')).not.toThrow();
    first();
    first();
    expect(() => quota.take('key:a')).not.toThrow();
    expect(() => quota.take('key:a')).toThrow();
  });
});

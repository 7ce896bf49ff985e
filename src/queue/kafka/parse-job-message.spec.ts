import { parseJobMessage } from './parse-job-message.js';

const encode = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseJobMessage', () => {
  it('accepts a message that follows the contract', async () => {
    const parsed = await parseJobMessage(encode({ type: 'sleep', payload: { ms: 1 }, jobId: 'a3bb189e-8bf9-4888-9912-ace4e6543002', maxAttempts: 2 }));
    expect(parsed).toEqual({ ok: true, message: expect.objectContaining({ type: 'sleep', jobId: 'a3bb189e-8bf9-4888-9912-ace4e6543002', maxAttempts: 2 }) });
  });

  it.each([
    [null, 'INVALID_MESSAGE', /empty/],
    ['{not json', 'NOT_JSON', /not JSON/],
    [{ payload: {} }, 'INVALID_MESSAGE', /type/],
    [{ type: 'sleep', jobId: 'nope' }, 'INVALID_MESSAGE', /jobId/],
    [{ type: 'sleep', maxAttempts: 0 }, 'INVALID_MESSAGE', /maxAttempts/],
    [{ type: 'sleep', extra: true }, 'INVALID_MESSAGE', /extra/],
    [{ type: 'sleep', idempotencyKey: '' }, 'INVALID_MESSAGE', /idempotencyKey/],
    [[1, 2], 'INVALID_MESSAGE', /object/],
  ])('rejects %p with %s', async (value, code, reason) => {
    const parsed = await parseJobMessage(value === null ? null : encode(value));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.code).toBe(code);
      expect(parsed.reason).toMatch(reason);
    }
  });
});

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

  it.each([
    ['a NUL in a payload string', encode('{"type":"sleep","payload":{"note":"a\\u0000b"}}'), 'UNSTORABLE_TEXT', /payload\.note: contains a NUL/],
    ['a lone surrogate in a key', encode('{"type":"sleep","payload":{"\\ud800":1}}'), 'UNSTORABLE_TEXT', /unpaired UTF-16 surrogate/],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'NOT_UTF8', /UTF-8/],
  ])('rejects %s as %s', async (_name, value, code, reason) => {
    const parsed = await parseJobMessage(value);
    expect(parsed).toEqual({ ok: false, code, reason: expect.stringMatching(reason) });
  });
});

import { decodeNameCursor, decodeTimeCursor, encodeNameCursor, encodeTimeCursor, pageOf, timePage } from './cursor.js';

const ID = '3b7c2a4e-5f8e-4c1d-9a77-0f4b1e2d3c4a';

describe('time cursors', () => {
  it('round-trips', () => {
    const item = { createdAt: new Date('2026-12-01T10:00:00.123Z'), id: ID };
    expect(decodeTimeCursor(encodeTimeCursor(item))).toEqual(item);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['no separator', Buffer.from('2026-12-01T10:00:00.000Z').toString('base64url')],
    ['dashes for an id', Buffer.from(`2026-12-01T10:00:00.000Z|${'-'.repeat(36)}`).toString('base64url')],
    ['upper-case id', Buffer.from(`2026-12-01T10:00:00.000Z|${ID.toUpperCase()}`).toString('base64url')],
    ['a date in another form', Buffer.from(`2026-12-01|${ID}`).toString('base64url')],
    ['an impossible date', Buffer.from(`2026-13-01T10:00:00.000Z|${ID}`).toString('base64url')],
    ['an extra part', Buffer.from(`2026-12-01T10:00:00.000Z|${ID}|x`).toString('base64url')],
    ['NUL bytes', Buffer.from(`\u0000|${ID}`).toString('base64url')],
    ['very long', 'A'.repeat(400)],
  ])('refuses %s with a 400', (_label, cursor) => {
    expect(() => decodeTimeCursor(cursor)).toThrow(expect.objectContaining({ status: 400 }) as Error);
  });
});

describe('name cursors', () => {
  it('round-trips any name', () => {
    const item = { name: 'nightly|"report"', id: ID };
    expect(decodeNameCursor(encodeNameCursor(item))).toEqual(item);
  });

  it.each(['', '!!', Buffer.from('"x"').toString('base64url'), Buffer.from('[1,2]').toString('base64url'), Buffer.from('["a","b"]').toString('base64url')])(
    'refuses %p',
    (cursor) => {
      expect(() => decodeNameCursor(cursor)).toThrow(expect.objectContaining({ status: 400 }) as Error);
    },
  );
});

describe('pageOf / timePage', () => {
  const rows = [1, 2, 3].map((n) => ({ createdAt: new Date(Date.UTC(2026, 0, n)), id: `00000000-0000-4000-8000-00000000000${n}` }));

  it('shows `limit` items and a cursor naming the last one when the extra row came back', () => {
    const page = timePage(rows, 2);
    expect(page.items).toEqual(rows.slice(0, 2));
    expect(decodeTimeCursor(page.nextCursor!)).toEqual(rows[1]);
    expect(pageOf(rows, 2, (last) => `after ${last.id}`).nextCursor).toBe(`after ${rows[1].id}`);
  });

  it('has no cursor on the last page', () => {
    expect(timePage(rows, 3)).toEqual({ items: rows, nextCursor: null });
    expect(timePage([], 3)).toEqual({ items: [], nextCursor: null });
  });
});

import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';

describe('audit cursors', () => {
  it('round-trips an id', () => {
    expect(decodeAuditCursor(encodeAuditCursor('12345'))).toBe('12345');
  });

  it.each(['', '!!', Buffer.from('a0').toString('base64url'), Buffer.from('b12').toString('base64url'), Buffer.from('a1x').toString('base64url'), 'A'.repeat(60)])(
    'refuses %p with a 400',
    (cursor) => {
      expect(() => decodeAuditCursor(cursor)).toThrow(expect.objectContaining({ status: 400 }) as Error);
    },
  );
});

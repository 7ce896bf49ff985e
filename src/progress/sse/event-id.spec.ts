import { formatEventId, parseEventId } from './event-id.js';

describe('SSE event ids', () => {
  it('round-trips <transitionId>-<progressVersion>', () => {
    const cursor = { transitionId: 42, progressVersion: 1_764_400_000_123 };
    expect(formatEventId(cursor)).toBe('42-1764400000123');
    expect(parseEventId('42-1764400000123')).toEqual(cursor);
    expect(parseEventId(['7-0', '9-9'])).toEqual({ transitionId: 7, progressVersion: 0 });
  });

  it('treats a missing or foreign id as no id (the client gets a fresh snapshot)', () => {
    for (const raw of [
      undefined,
      '',
      'abc',
      '1-',
      '-1',
      '1-2-3',
      '12',
      '1.5-2',
      '9999999999999999-1',
    ]) {
      expect(parseEventId(raw)).toBeNull();
    }
  });
});

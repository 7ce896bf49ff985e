import { findUnstorableText, textProblem } from './unstorable-text.js';

describe('textProblem', () => {
  it.each([
    ['plain', null],
    ['emoji 😀 is a valid pair', null],
    ['a\u0000b', 'contains a NUL character'],
    ['lone high \uD83D here', 'contains an unpaired UTF-16 surrogate'],
    ['lone low \uDE00 here', 'contains an unpaired UTF-16 surrogate'],
    ['ends with high \uD83D', 'contains an unpaired UTF-16 surrogate'],
    ['\uDE00starts with low', 'contains an unpaired UTF-16 surrogate'],
    ['reversed pair \uDE00\uD83D', 'contains an unpaired UTF-16 surrogate'],
  ])('%j → %s', (text, expected) => {
    expect(textProblem(text)).toBe(expected);
  });
});

describe('findUnstorableText', () => {
  it('accepts clean nested data', () => {
    expect(findUnstorableText({ a: [1, 'x', { b: true, c: null }], d: 'ok' })).toBeNull();
  });

  it('names the path of a bad value', () => {
    expect(findUnstorableText({ items: [{ name: 'ok' }, { name: 'a\u0000' }] }, 'payload')).toEqual({
      field: 'payload.items[1].name',
      reason: 'contains a NUL character',
    });
  });

  it('finds a bad key', () => {
    expect(findUnstorableText({ outer: { ['k\uD800']: 1 } })).toEqual({
      field: 'outer."k\\ud800"',
      reason: 'contains an unpaired UTF-16 surrogate',
    });
  });

  it('reports a bad top-level string as the body', () => {
    expect(findUnstorableText('\u0000')?.field).toBe('(body)');
  });

  it('walks very deep input without recursion', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(findUnstorableText(deep)?.reason).toBe('contains a NUL character');
  });
});

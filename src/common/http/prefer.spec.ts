import { parsePrefer, preferenceApplied } from './prefer.js';

describe('Prefer (RFC 7240)', () => {
  it.each([
    [undefined, { respondAsync: false, waitSeconds: null }],
    ['', { respondAsync: false, waitSeconds: null }],
    ['respond-async', { respondAsync: true, waitSeconds: null }],
    ['wait=10', { respondAsync: false, waitSeconds: 10 }],
    ['Respond-Async, WAIT=5', { respondAsync: true, waitSeconds: 5 }],
    ['wait="7"', { respondAsync: false, waitSeconds: 7 }],
    ['wait = 3 ; foo=bar', { respondAsync: false, waitSeconds: 3 }],
    [['respond-async', 'wait=2'], { respondAsync: true, waitSeconds: 2 }],
    ['wait=2, wait=9', { respondAsync: false, waitSeconds: 2 }],
    ['wait=-1', { respondAsync: false, waitSeconds: null }],
    ['wait=soon', { respondAsync: false, waitSeconds: null }],
    ['wait', { respondAsync: false, waitSeconds: null }],
    ['handling=strict, return=minimal', { respondAsync: false, waitSeconds: null }],
  ])('reads %j', (header, expected) => {
    expect(parsePrefer(header)).toEqual(expected);
  });

  it('says what was applied', () => {
    expect(preferenceApplied({ respondAsync: false, waitSeconds: null }, null)).toBeNull();
    expect(preferenceApplied({ respondAsync: true, waitSeconds: null }, null)).toBe('respond-async');
    expect(preferenceApplied({ respondAsync: false, waitSeconds: 90 }, 30)).toBe('wait=30');
    expect(preferenceApplied({ respondAsync: true, waitSeconds: 5 }, 5)).toBe('respond-async, wait=5');
  });
});

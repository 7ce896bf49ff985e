import { canonicalJson, requestHash } from './request-hash.js';

describe('request hashing', () => {
  it('ignores key order at every depth', () => {
    expect(requestHash({ a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(requestHash({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
  });

  it('tells different values apart', () => {
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
    expect(requestHash({ a: [1, 2] })).not.toBe(requestHash({ a: [2, 1] }));
    expect(requestHash({ a: '1' })).not.toBe(requestHash({ a: 1 }));
  });

  it('drops undefined members like JSON does', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });
});

import { checkJsonShape } from './json-limits.js';

const limits = { maxDepth: 4, maxKeys: 5 };

describe('checkJsonShape', () => {
  it('accepts JSON within the limits', () => {
    expect(checkJsonShape('{"a":{"b":[1,{"c":2}]}}', limits)).toBeNull();
    expect(checkJsonShape('[[[["x"]]]]', limits)).toBeNull();
  });

  it('refuses nesting past the depth with a 400', () => {
    expect(checkJsonShape('[[[[[1]]]]]', limits)).toEqual({ status: 400, reason: 'JSON nested deeper than 4 levels' });
    expect(checkJsonShape('['.repeat(100_000), limits)?.status).toBe(400);
  });

  it('refuses too many members with a 413', () => {
    expect(checkJsonShape('{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}', limits)).toEqual({ status: 413, reason: 'JSON body with more than 5 object members' });
  });

  it('ignores brackets, colons and escaped quotes inside strings', () => {
    expect(checkJsonShape('{"a":"[[[[[[:::::\\"{{{{{{"}', limits)).toBeNull();
    expect(checkJsonShape('{"a\\\\":"]]]"}', limits)).toBeNull();
  });

  it('takes linear time on a large body', () => {
    const body = JSON.stringify({ payload: Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i])) });
    const started = performance.now();
    expect(checkJsonShape(body, { maxDepth: 32, maxKeys: 10_000 })?.status).toBe(413);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

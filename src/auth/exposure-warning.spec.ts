import { ApiKeys } from './api-keys.js';
import { openToTheNetwork } from './exposure-warning.js';

describe('openToTheNetwork', () => {
  const off = ApiKeys.parse(undefined).keys;
  const on = ApiKeys.parse('admin:ops:0123456789abcdef').keys;

  it.each([
    ['0.0.0.0', off, true],
    ['::', off, true],
    ['192.168.1.5', off, true],
    ['127.0.0.1', off, false],
    ['127.1.2.3', off, false],
    ['::1', off, false],
    ['localhost', off, false],
    ['0.0.0.0', on, false],
  ])('%s with keys %s → %s', (host, apiKeys, expected) => {
    expect(openToTheNetwork({ host, apiKeys })).toBe(expected);
  });
});

import { ApiKeys } from './api-keys.js';

describe('ApiKeys', () => {
  const { keys, problems } = ApiKeys.parse('admin:ops:0123456789abcdef, reader:grafana:fedcba9876543210:acme, submitter:ci:0123456789abcdeX:acme');

  it('parses role, name, secret and tenant (the name when no tenant is given)', () => {
    expect(problems).toEqual([]);
    expect(keys.enabled).toBe(true);
    expect(keys.authenticate('0123456789abcdef')).toEqual({ name: 'ops', role: 'admin', tenant: 'ops' });
    expect(keys.authenticate('fedcba9876543210')).toEqual({ name: 'grafana', role: 'reader', tenant: 'acme' });
    expect(keys.authenticate('0123456789abcdeX')).toEqual({ name: 'ci', role: 'submitter', tenant: 'acme' });
  });

  it('refuses unknown secrets', () => {
    expect(keys.authenticate('0123456789abcdeY')).toBeNull();
    expect(keys.authenticate('')).toBeNull();
  });

  it('is disabled without keys', () => {
    expect(ApiKeys.parse(undefined).keys.enabled).toBe(false);
    expect(ApiKeys.parse(' ').keys.enabled).toBe(false);
  });

  it('names what is wrong with an entry, never echoing the secret', () => {
    const parsed = ApiKeys.parse(
      [
        'root:me:0123456789abcdef',
        'admin::0123456789abcdef',
        'admin:short:abc',
        'admin:colons:0123456789abcdef:t:extra',
        'admin:badtenant:0123456789abcdef:*',
        'admin:ok:0123456789abcdef',
        'reader:ok:0123456789abcdef',
      ].join(','),
    );
    expect(parsed.problems).toEqual([
      expect.stringMatching(/entry 1: role must be one of admin, submitter, reader/),
      expect.stringMatching(/entry 2: name must be/),
      expect.stringMatching(/entry 3 \(short\): the secret must be 16-256 printable characters/),
      expect.stringMatching(/entry 4 \(colons\): the secret must be/),
      expect.stringMatching(/entry 5 \(badtenant\): tenant must be/),
      expect.stringMatching(/entry 7 \(ok\): another key has this name/),
    ]);
    expect(parsed.problems.join(' ')).not.toContain('0123456789abcdef');
  });
});

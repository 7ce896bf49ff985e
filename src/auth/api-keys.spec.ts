import { ApiKeys, isAllowed } from './api-keys.js';

describe('ApiKeys', () => {
  const { keys, problems } = ApiKeys.parse('admin:ops:0123456789abcdef, reader:grafana:fedcba9876543210:with-colon');

  it('parses role, name and secret (secrets may contain colons)', () => {
    expect(problems).toEqual([]);
    expect(keys.enabled).toBe(true);
    expect(keys.authenticate('0123456789abcdef')).toEqual({ name: 'ops', role: 'admin' });
    expect(keys.authenticate('fedcba9876543210:with-colon')).toEqual({ name: 'grafana', role: 'reader' });
  });

  it('refuses unknown secrets', () => {
    expect(keys.authenticate('0123456789abcdeX')).toBeNull();
    expect(keys.authenticate('')).toBeNull();
  });

  it('is disabled without keys', () => {
    expect(ApiKeys.parse(undefined).keys.enabled).toBe(false);
    expect(ApiKeys.parse(' ').keys.enabled).toBe(false);
  });

  it('names what is wrong with an entry, never echoing the secret', () => {
    const parsed = ApiKeys.parse('root:me:0123456789abcdef,admin::0123456789abcdef,admin:short:abc');
    expect(parsed.problems).toEqual([
      expect.stringMatching(/entry 1: role must be one of admin, submitter, reader/),
      expect.stringMatching(/entry 2: name must be/),
      expect.stringMatching(/entry 3 \(short\): the secret must be at least 16 characters/),
    ]);
    expect(parsed.problems.join(' ')).not.toContain('0123456789abcdef');
  });
});

describe('isAllowed', () => {
  it.each([
    ['admin', 'POST', '/admin/dlq/x/replay', true],
    ['admin', 'DELETE', '/webhooks/x', true],
    ['submitter', 'POST', '/jobs', true],
    ['submitter', 'GET', '/admin/dlq', false],
    ['submitter', 'GET', '/administrators', true],
    ['reader', 'GET', '/jobs/x', true],
    ['reader', 'POST', '/jobs', false],
    ['reader', 'GET', '/admin/queues', false],
  ] as const)('%s %s %s → %s', (role, method, path, allowed) => {
    expect(isAllowed(role, method, path)).toBe(allowed);
  });
});

import { ConfigValidationError, loadConfig } from './load-config.js';

function problemsOf(value: string): string[] {
  try {
    loadConfig({ JOB_TYPE_LIMITS: value });
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error(`expected JOB_TYPE_LIMITS=${value} to be rejected`);
}

describe('JOB_TYPE_LIMITS', () => {
  it('reads run timeouts and queue TTLs per job type, in milliseconds', () => {
    const config = loadConfig({ JOB_TYPE_LIMITS: '{"video.transcode": {"timeoutSeconds": 3600, "queueTtlSeconds": 86400}, "report": {"queueTtlSeconds": 60}}' });
    expect(config.jobTypeLimits.get('video.transcode')).toEqual({ runTimeoutMs: 3_600_000, queueTtlMs: 86_400_000 });
    expect(config.jobTypeLimits.get('report')).toEqual({ queueTtlMs: 60_000 });
    expect(loadConfig({}).jobTypeLimits.size).toBe(0);
  });

  it.each([
    ['not JSON', '{sleep', 'must be JSON'],
    ['not an object', '[1]', 'a JSON object keyed by job type'],
    ['a bad type name', '{"Bad Type": {}}', '"Bad Type" is not a job type name'],
    ['an unknown field', '{"sleep": {"timeout": 5}}', 'JOB_TYPE_LIMITS.sleep.timeout is unknown'],
    ['zero', '{"sleep": {"timeoutSeconds": 0}}', 'timeoutSeconds must be an integer from 1 to 604800'],
    ['a fraction', '{"sleep": {"queueTtlSeconds": 1.5}}', 'queueTtlSeconds must be an integer from 1 to 2592000'],
    ['too long', '{"sleep": {"queueTtlSeconds": 2592001}}', 'queueTtlSeconds must be an integer from 1 to 2592000'],
  ])('refuses %s with a clear message', (_case, value, message) => {
    expect(problemsOf(value).join('\n')).toContain(message);
  });
});

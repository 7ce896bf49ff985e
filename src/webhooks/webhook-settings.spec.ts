import { ConfigValidationError, loadConfig } from '../config/load-config.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYqr';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
}

describe('webhook settings (loadConfig)', () => {
  it('defaults to the seed: 10 s timeout, 2 s / 4 s / 8 s with 20 % jitter, 4 attempts, disable after 20, 64 in flight', () => {
    expect(loadConfig({}).webhooks).toEqual({
      timeoutMs: 10_000,
      backoffMs: [2000, 4000, 8000],
      maxAttempts: 4,
      jitter: 0.2,
      retryAfterMaxMs: 3_600_000,
      retryable4xx: [],
      disableAfterFailures: 20,
      allowedHosts: [],
      rotationOverlapSeconds: 86_400,
      callbackSecrets: [],
      concurrency: 64,
      queuePrefix: 'longhaul',
      reconcileIntervalMs: 30_000,
    });
  });

  it('reads every knob', () => {
    const settings = loadConfig({
      WEBHOOK_TIMEOUT_MS: '500',
      WEBHOOK_BACKOFF_MS: '200, 400',
      WEBHOOK_JITTER: '0',
      WEBHOOK_RETRY_AFTER_MAX_MS: '60000',
      WEBHOOK_RETRYABLE_4XX: '408,425',
      WEBHOOK_DISABLE_AFTER_FAILURES: '0',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1, 10.0.0.0/8, hooks.internal, *.svc.local',
      WEBHOOK_SECRET_ROTATION_OVERLAP_SECONDS: '60',
      WEBHOOK_CALLBACK_SECRET: `${SECRET},${SECRET}`,
      WEBHOOK_CONCURRENCY: '64',
      WEBHOOK_QUEUE_PREFIX: 'test-1',
      WEBHOOK_RECONCILE_INTERVAL_MS: '1000',
    }).webhooks;
    expect(settings).toEqual({
      timeoutMs: 500,
      backoffMs: [200, 400],
      maxAttempts: 3,
      jitter: 0,
      retryAfterMaxMs: 60_000,
      retryable4xx: [408, 425],
      disableAfterFailures: 0,
      allowedHosts: ['127.0.0.1', '10.0.0.0/8', 'hooks.internal', '*.svc.local'],
      rotationOverlapSeconds: 60,
      callbackSecrets: [SECRET, SECRET],
      concurrency: 64,
      queuePrefix: 'test-1',
      reconcileIntervalMs: 1000,
    });
    expect(loadConfig({ WEBHOOK_MAX_ATTEMPTS: '10' }).webhooks.maxAttempts).toBe(10);
  });

  it.each([
    [{ WEBHOOK_BACKOFF_MS: '2000,soon' }, 'WEBHOOK_BACKOFF_MS must be a comma-separated list of integers from 0 to 86400000'],
    [{ WEBHOOK_JITTER: '1.5' }, 'WEBHOOK_JITTER must be a number from 0 to 1'],
    [{ WEBHOOK_JITTER: 'lots' }, 'WEBHOOK_JITTER must be a number from 0 to 1'],
    [{ WEBHOOK_ALLOWED_HOSTS: 'http://evil' }, 'WEBHOOK_ALLOWED_HOSTS: "http://evil" is neither a host name nor an IP address or CIDR range'],
    [{ WEBHOOK_CALLBACK_SECRET: 'hunter2' }, 'WEBHOOK_CALLBACK_SECRET must be whsec_ followed by base64 (comma-separate several during a rotation)'],
    [{ WEBHOOK_RETRYABLE_4XX: '500' }, 'WEBHOOK_RETRYABLE_4XX must be a comma-separated list of integers from 400 to 499'],
    [{ WEBHOOK_RETRYABLE_4XX: '410' }, 'WEBHOOK_RETRYABLE_4XX cannot include 410 (it disables the subscription)'],
    [{ WEBHOOK_TIMEOUT_MS: '0' }, 'WEBHOOK_TIMEOUT_MS must be an integer from 100 to 120000 (got "0")'],
    [{ WEBHOOK_MAX_ATTEMPTS: '0' }, 'WEBHOOK_MAX_ATTEMPTS must be an integer from 1 to 100 (got "0")'],
  ])('refuses %p', (env, problem) => {
    expect(problems(env)).toContain(problem);
  });
});

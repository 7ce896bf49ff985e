import { resolve } from 'node:path';
import { ConfigValidationError, loadConfig } from './load-config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

const DISTRIBUTED = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

describe('loadConfig', () => {
  it('runs with no environment at all: the embedded profile and the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      profile: 'embedded',
      host: '0.0.0.0',
      port: 3000,
      appRole: 'all',
      logLevel: 'info',
      dataDir: resolve('./data'),
      databaseUrl: undefined,
      databaseSchema: undefined,
      embeddedPostgresPort: 0,
      kafkaBrokers: [],
      kafkaTopic: 'report-jobs',
      redisUrl: undefined,
      workerConcurrency: 5,
      jobLeaseMs: 30_000,
      retryBaseDelayMs: 2000,
      defaultMaxAttempts: 3,
      bodyLimitBytes: 1_048_576,
      preferWaitMaxSeconds: 60,
      resultStore: 'auto',
      sleepJobEnabled: true,
      shutdownGraceMs: 10_000,
      publicBaseUrl: undefined,
    });
    expect(config.runsApi && config.runsWorkers && config.runsScheduler).toBe(true);
  });

  it('reads and trims every kind of value', () => {
    const config = loadConfig({
      PORT: ' 8080 ',
      HOST: '127.0.0.1',
      DATA_DIR: '/tmp/longhaul-spec',
      WORKER_CONCURRENCY: '12',
      SLEEP_JOB_ENABLED: 'off',
      LOG_LEVEL: 'warn',
      RESULT_STORE: 'filesystem',
      DATABASE_URL: 'postgresql://u@db:5432/x',
      DATABASE_SCHEMA: 'tenant_1',
      KAFKA_BROKERS: ' a:9092, b:9092 ,',
      REDIS_URL: 'rediss://cache:6380',
      APP_ROLE: 'worker',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/tmp/longhaul-spec',
      workerConcurrency: 12,
      sleepJobEnabled: false,
      logLevel: 'warn',
      resultStore: 'filesystem',
      databaseUrl: 'postgresql://u@db:5432/x',
      databaseSchema: 'tenant_1',
      kafkaBrokers: ['a:9092', 'b:9092'],
      profile: 'distributed',
      appRole: 'worker',
    });
    expect([config.runsApi, config.runsWorkers, config.runsScheduler]).toEqual([false, true, false]);
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '   ', KAFKA_BROKERS: '' })).toMatchObject({ port: 3000, profile: 'embedded' });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['WORKER_CONCURRENCY', '0'],
    ['JOB_LEASE_MS', '999'],
    ['RETRY_BASE_DELAY_MS', '-1'],
    ['RETRY_MAX_DELAY_MS', 'soon'],
    ['JOB_MAX_ATTEMPTS', '101'],
    ['BODY_LIMIT_BYTES', '10'],
    ['RESULT_INLINE_MAX_BYTES', 'big'],
    ['SHUTDOWN_GRACE_MS', '600001'],
    ['EMBEDDED_POSTGRES_PORT', '-5'],
    ['SLEEP_JOB_ENABLED', 'maybe'],
    ['APP_ROLE', 'boss'],
    ['LOG_LEVEL', 'trace'],
    ['RESULT_STORE', 'cloud'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://db/x'],
    ['REDIS_URL', 'http://cache'],
    ['PUBLIC_BASE_URL', 'ftp://example.com'],
    ['DATABASE_SCHEMA', 'Bad-Name'],
    ['SECRETS_KEY', 'c2hvcnQ='],
    ['SECRETS_PREVIOUS_KEYS', 'not base64!'],
    ['KAFKA_DEFAULT_TENANT', '*'],
    ['TRUST_PROXY', 'maybe'],
    ['API_RATE_LIMIT_PER_MINUTE', '-1'],
    ['MAX_QUEUED_JOBS_PER_TENANT', 'lots'],
    ['JSON_MAX_DEPTH', '1'],
    ['SSE_MAX_STREAMS_PER_KEY', '0'],
    ['HTTP_HEADERS_TIMEOUT_MS', '60000'],
  ])('rejects %s=%s and names the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
  });

  it('reports every problem at once, in one readable message', () => {
    let thrown: unknown;
    try {
      loadConfig({ PORT: 'abc', WORKER_CONCURRENCY: 'many', LOG_LEVEL: 'loud' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigValidationError);
    const error = thrown as ConfigValidationError;
    expect(error.problems).toHaveLength(3);
    expect(error.message).toMatch(/^Invalid configuration:/);
    for (const name of ['PORT must be an integer from 0 to 65535 (got "abc")', 'WORKER_CONCURRENCY', 'LOG_LEVEL']) {
      expect(error.message).toContain(name);
    }
  });

  it('switches to the distributed profile when KAFKA_BROKERS is set, with its database and Redis', () => {
    const config = loadConfig(DISTRIBUTED);
    expect(config.profile).toBe('distributed');
    expect(config.kafkaBrokers).toEqual(['127.0.0.1:9092']);
  });

  it('names what the distributed profile is missing', () => {
    expect(problemsOf({ KAFKA_BROKERS: '127.0.0.1:9092' })).toEqual([
      expect.stringMatching(/distributed profile.*DATABASE_URL and REDIS_URL/),
    ]);
    expect(problemsOf({ KAFKA_BROKERS: DISTRIBUTED.KAFKA_BROKERS, DATABASE_URL: DISTRIBUTED.DATABASE_URL })).toEqual([
      expect.stringMatching(/distributed profile.*needs REDIS_URL$/),
    ]);
    expect(problemsOf({ KAFKA_BROKERS: DISTRIBUTED.KAFKA_BROKERS, REDIS_URL: DISTRIBUTED.REDIS_URL })).toEqual([
      expect.stringMatching(/distributed profile.*needs DATABASE_URL$/),
    ]);
  });

  it('does not treat DATABASE_URL or REDIS_URL alone as the distributed profile', () => {
    expect(loadConfig({ DATABASE_URL: DISTRIBUTED.DATABASE_URL, REDIS_URL: DISTRIBUTED.REDIS_URL }).profile).toBe('embedded');
  });

  it('reads the security settings', () => {
    const key = Buffer.alloc(32, 7);
    const config = loadConfig({
      SECRETS_KEY: key.toString('base64'),
      SECRETS_PREVIOUS_KEYS: `${Buffer.alloc(32, 1).toString('base64')},${Buffer.alloc(32, 2).toString('base64')}`,
      TRUST_PROXY: '10.0.0.0/8, 127.0.0.1',
      KAFKA_DEFAULT_TENANT: 'acme',
      API_RATE_LIMIT_PER_MINUTE: '0',
    });
    expect(config.secrets.key).toEqual(key);
    expect(config.secrets.previousKeys).toHaveLength(2);
    expect(config.http).toMatchObject({ trustProxy: ['10.0.0.0/8', '127.0.0.1'], rateLimitPerMinute: 0, jsonMaxDepth: 32, jsonMaxKeys: 10_000 });
    expect(config.kafkaDefaultTenant).toBe('acme');
    expect(loadConfig({ TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
  });

  it('needs a shared DATABASE_URL to split roles across processes', () => {
    expect(problemsOf({ APP_ROLE: 'api' })).toEqual([expect.stringContaining('APP_ROLE')]);
    expect(loadConfig({ APP_ROLE: 'api', DATABASE_URL: DISTRIBUTED.DATABASE_URL }).runsWorkers).toBe(false);
  });
  it('caps Prefer: wait by a setting from 0 (never wait) to 300 seconds', () => {
    expect(loadConfig({ PREFER_WAIT_MAX_SECONDS: '0' }).preferWaitMaxSeconds).toBe(0);
    expect(loadConfig({ PREFER_WAIT_MAX_SECONDS: '300' }).preferWaitMaxSeconds).toBe(300);
    expect(problemsOf({ PREFER_WAIT_MAX_SECONDS: '301' })).toEqual([expect.stringContaining('PREFER_WAIT_MAX_SECONDS')]);
    expect(problemsOf({ PREFER_WAIT_MAX_SECONDS: 'long' })).toEqual([expect.stringContaining('PREFER_WAIT_MAX_SECONDS')]);
  });
});

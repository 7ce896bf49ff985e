import { resolve } from 'node:path';
import { AppConfig, type AppRole } from './app-config.js';
import { EnvReader } from './env-readers.js';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const APP_ROLES: readonly AppRole[] = ['api', 'worker', 'scheduler', 'all'];

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const read = new EnvReader(env);
  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = read.url('REDIS_URL', ['redis:', 'rediss:']);
  const kafkaBrokers = read.list('KAFKA_BROKERS');
  const databaseSchema = read.optionalString('DATABASE_SCHEMA');
  if (databaseSchema !== undefined && !SCHEMA_NAME.test(databaseSchema)) {
    read.problems.push('DATABASE_SCHEMA must be a lower-case SQL identifier');
  }

  const distributedParts = { KAFKA_BROKERS: kafkaBrokers.length > 0, DATABASE_URL: !!databaseUrl, REDIS_URL: !!redisUrl };
  const profile = distributedParts.KAFKA_BROKERS ? 'distributed' : 'embedded';
  if (profile === 'distributed') {
    const missing = Object.entries(distributedParts)
      .filter(([, present]) => !present)
      .map(([name]) => name);
    if (missing.length > 0) {
      read.problems.push(`the distributed profile (KAFKA_BROKERS set) also needs ${missing.join(' and ')}`);
    }
  }
  const appRole = read.oneOf('APP_ROLE', APP_ROLES, 'all');
  if (profile === 'embedded' && appRole !== 'all' && !databaseUrl) {
    read.problems.push('APP_ROLE other than "all" needs a shared DATABASE_URL');
  }

  const retryBaseDelayMs = read.int('RETRY_BASE_DELAY_MS', 2000, 0, 3_600_000);
  const kafkaTopic = read.string('KAFKA_TOPIC', 'report-jobs');
  const config = new AppConfig({
    profile,
    host: read.string('HOST', '0.0.0.0'),
    port: read.int('PORT', 3000, 0, 65535),
    appRole,
    logLevel: read.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    dataDir: resolve(read.string('DATA_DIR', './data')),
    databaseUrl,
    databaseSchema,
    embeddedPostgresPort: read.int('EMBEDDED_POSTGRES_PORT', 0, 0, 65535),
    kafkaBrokers,
    kafkaTopic,
    kafkaDeadLetterTopic: read.string('KAFKA_DLT_TOPIC', `${kafkaTopic}.DLT`),
    kafkaClientId: read.string('KAFKA_CLIENT_ID', 'longhaul'),
    kafkaPartitions: read.int('KAFKA_PARTITIONS', 6, 1, 1000),
    kafkaGroupId: read.string('KAFKA_GROUP_ID', 'report-workers'),
    redisUrl,
    workerConcurrency: read.int('WORKER_CONCURRENCY', 5, 1, 1000),
    jobLeaseMs: read.int('JOB_LEASE_MS', 30_000, 1000, 3_600_000),
    retryBaseDelayMs,
    retryMaxDelayMs: read.int('RETRY_MAX_DELAY_MS', 3_600_000, 0, 86_400_000),
    defaultMaxAttempts: read.int('JOB_MAX_ATTEMPTS', 3, 1, 100),
    bodyLimitBytes: read.int('BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
    resultStore: read.oneOf('RESULT_STORE', ['auto', 'database', 'filesystem'] as const, 'auto'),
    resultInlineMaxBytes: read.int('RESULT_INLINE_MAX_BYTES', 262_144, 0, 104_857_600),
    sleepJobEnabled: read.bool('SLEEP_JOB_ENABLED', true),
    shutdownGraceMs: read.int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    publicBaseUrl: read.url('PUBLIC_BASE_URL', ['http:', 'https:']),
  });
  if (read.problems.length > 0) throw new ConfigValidationError(read.problems);
  return config;
}

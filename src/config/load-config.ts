import { resolve } from 'node:path';
import { AppConfig, type AppRole } from './app-config.js';
import { ApiKeys } from '../auth/api-keys.js';
import { EnvReader } from './env-readers.js';
import { readResultSettings } from './result-settings.js';
import { readVideoSettings } from './upload-settings.js';
import { readEmailSettings } from './email-settings.js';
import { readJobTypeLimits } from './job-type-limits.js';
import { AllowList } from '../common/outbound-url/address-policy.js';
import { cronExpressionProblem, timezoneProblem } from '../scheduler/domain/cron-schedule.js';
import { DEFAULT_TENANT, isTenantName } from '../common/tenant.js';

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

  const apiKeys = ApiKeys.parse(env.API_KEYS);
  read.problems.push(...apiKeys.problems);
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
    progress: {
      ttlSeconds: read.int('PROGRESS_TTL_SECONDS', 86_400, 1, 31_536_000),
      liveIntervalMs: read.int('PROGRESS_LIVE_INTERVAL_MS', 100, 0, 60_000),
      rowIntervalMs: read.int('PROGRESS_ROW_INTERVAL_MS', 1000, 0, 600_000),
      keyPrefix: read.string('PROGRESS_KEY_PREFIX', ''),
      redisTimeoutMs: read.int('PROGRESS_REDIS_TIMEOUT_MS', 500, 10, 60_000),
      sseHeartbeatMs: read.int('SSE_HEARTBEAT_MS', 15_000, 10, 3_600_000),
      sseMaxDurationMs: read.int('SSE_MAX_DURATION_MS', 300_000, 100, 86_400_000),
      sseRetryMs: read.int('SSE_RETRY_MS', 2000, 0, 600_000),
      sseMaxStreamsPerKey: read.int('SSE_MAX_STREAMS_PER_KEY', 50, 1, 100_000),
    },
    webhooks: readWebhookSettings(read),
    email: readEmailSettings(read),
    scheduler: readSchedulerSettings(read),
    reliability: readReliabilitySettings(read),
    retention: readRetentionSettings(read),
    operator: readOperatorSettings(read),
    http: readHttpSettings(read),
    secrets: readSecretSettings(read),
    maxQueuedJobsPerTenant: read.int('MAX_QUEUED_JOBS_PER_TENANT', 100_000, 0, 100_000_000),
    kafkaDefaultTenant: readTenant(read, 'KAFKA_DEFAULT_TENANT'),
    workerConcurrency: read.int('WORKER_CONCURRENCY', 5, 1, 1000),
    jobLeaseMs: read.int('JOB_LEASE_MS', 30_000, 1000, 3_600_000),
    retryBaseDelayMs,
    retryMaxDelayMs: read.int('RETRY_MAX_DELAY_MS', 3_600_000, 0, 86_400_000),
    defaultMaxAttempts: read.int('JOB_MAX_ATTEMPTS', 3, 1, 100),
    jobTypeLimits: readJobTypeLimits(read, env.JOB_TYPE_LIMITS),
    bodyLimitBytes: read.int('BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
    preferWaitMaxSeconds: read.int('PREFER_WAIT_MAX_SECONDS', 60, 0, 300),
    ...readResultSettings(read),
    ...readVideoSettings(read),
    sleepJobEnabled: read.bool('SLEEP_JOB_ENABLED', true),
    queueMetricsIntervalMs: read.int('QUEUE_METRICS_INTERVAL_MS', 10_000, 0, 3_600_000),
    shutdownGraceMs: read.int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    publicBaseUrl: read.url('PUBLIC_BASE_URL', ['http:', 'https:']),
    apiKeys: apiKeys.keys,
  });
  if (read.problems.length > 0) throw new ConfigValidationError(read.problems);
  return config;
}

const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

function readWebhookSettings(read: EnvReader): AppConfig['webhooks'] {
  const numbers = (name: string, fallback: number[], min: number, max: number): number[] => {
    const items = read.list(name);
    if (items.length === 0) return fallback;
    const values = items.map(Number);
    if (values.some((value) => !Number.isInteger(value) || value < min || value > max)) {
      read.problems.push(`${name} must be a comma-separated list of integers from ${min} to ${max}`);
      return fallback;
    }
    return values;
  };
  const backoffMs = numbers('WEBHOOK_BACKOFF_MS', [2000, 4000, 8000], 0, 86_400_000);
  const jitterText = read.optionalString('WEBHOOK_JITTER');
  const jitter = jitterText === undefined ? 0.2 : Number(jitterText);
  if (!Number.isFinite(jitter) || jitter < 0 || jitter > 1) read.problems.push('WEBHOOK_JITTER must be a number from 0 to 1');
  const allowedHosts = read.list('WEBHOOK_ALLOWED_HOSTS');
  try {
    AllowList.parse(allowedHosts);
  } catch (error) {
    read.problems.push(`WEBHOOK_ALLOWED_HOSTS: ${(error as Error).message}`);
  }
  const callbackSecrets = read.list('WEBHOOK_CALLBACK_SECRET');
  if (callbackSecrets.some((secret) => !WEBHOOK_SECRET.test(secret))) {
    read.problems.push('WEBHOOK_CALLBACK_SECRET must be whsec_ followed by base64 (comma-separate several during a rotation)');
  }
  const retryable4xx = numbers('WEBHOOK_RETRYABLE_4XX', [], 400, 499);
  if (retryable4xx.includes(410)) read.problems.push('WEBHOOK_RETRYABLE_4XX cannot include 410 (it disables the subscription)');
  return {
    timeoutMs: read.int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    backoffMs,
    maxAttempts: read.int('WEBHOOK_MAX_ATTEMPTS', backoffMs.length + 1, 1, 100),
    jitter: Number.isFinite(jitter) ? Math.min(Math.max(jitter, 0), 1) : 0.2,
    retryAfterMaxMs: read.int('WEBHOOK_RETRY_AFTER_MAX_MS', 3_600_000, 0, 86_400_000),
    retryable4xx,
    disableAfterFailures: read.int('WEBHOOK_DISABLE_AFTER_FAILURES', 20, 0, 100_000),
    allowedHosts,
    rotationOverlapSeconds: read.int('WEBHOOK_SECRET_ROTATION_OVERLAP_SECONDS', 86_400, 0, 2_592_000),
    callbackSecrets,
    concurrency: read.int('WEBHOOK_CONCURRENCY', 64, 1, 1000),
    queuePrefix: read.string('WEBHOOK_QUEUE_PREFIX', 'longhaul'),
    reconcileIntervalMs: read.int('WEBHOOK_RECONCILE_INTERVAL_MS', 30_000, 100, 3_600_000),
  };
}

function readSchedulerSettings(read: EnvReader): AppConfig['scheduler'] {
  const dailyReportCron = read.string('DAILY_REPORT_CRON', '0 2 * * *');
  const cronProblem = cronExpressionProblem(dailyReportCron);
  if (cronProblem) read.problems.push(`DAILY_REPORT_CRON ${cronProblem}`);
  const dailyReportTimezone = read.string('DAILY_REPORT_TIMEZONE', 'UTC');
  const zoneProblem = timezoneProblem(dailyReportTimezone);
  if (zoneProblem) read.problems.push(`DAILY_REPORT_TIMEZONE ${zoneProblem}`);
  return {
    dailyReportCron,
    dailyReportEnabled: read.bool('DAILY_REPORT_ENABLED', true),
    dailyReportTimezone,
    misfireGraceMs: read.int('SCHEDULE_MISFIRE_GRACE_MS', 30_000, 0, 86_400_000),
  };
}

function readReliabilitySettings(read: EnvReader): AppConfig['reliability'] {
  return {
    maxInterruptions: read.int('JOB_MAX_INTERRUPTIONS', 5, 1, 1000),
    dispatchTimeoutMs: read.int('JOB_DISPATCH_TIMEOUT_MS', 10_000, 100, 3_600_000),
    unrunnableAfterMs: read.int('JOB_UNRUNNABLE_AFTER_MS', 900_000, 1000, 604_800_000),
    databaseConnectTimeoutMs: read.int('DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
    databaseQueryTimeoutMs: read.int('DATABASE_QUERY_TIMEOUT_MS', 60_000, 100, 3_600_000),
    kafkaMaxMessageBytes: read.int('KAFKA_MAX_MESSAGE_BYTES', 1_048_576, 1024, 104_857_600),
  };
}

const DAY_SECONDS = 86_400;

function readRetentionSettings(read: EnvReader): AppConfig['retention'] {
  return {
    jobSeconds: read.int('JOB_RETENTION_SECONDS', 30 * DAY_SECONDS, 1, 3650 * DAY_SECONDS),
    resultSeconds: read.int('RESULT_TTL_SECONDS', 0, 0, 3650 * DAY_SECONDS),
    webhookDeliverySeconds: read.int('WEBHOOK_DELIVERY_RETENTION_SECONDS', 30 * DAY_SECONDS, 1, 3650 * DAY_SECONDS),
    intervalMs: read.int('RETENTION_INTERVAL_MS', 3_600_000, 1000, 604_800_000),
    auditDays: read.int('AUDIT_RETENTION_DAYS', 365, 1, 36_500),
    deadMessageDays: read.int('DEAD_MESSAGE_RETENTION_DAYS', 30, 1, 36_500),
  };
}

function readOperatorSettings(read: EnvReader): AppConfig['operator'] {
  return {
    alertDeadThreshold: read.int('ALERT_DEAD_THRESHOLD', 0, 0, 1_000_000),
    alertDeadWindowMinutes: read.int('ALERT_DEAD_WINDOW_MINUTES', 15, 1, 10_080),
    alertWebhookUrl: read.url('ALERT_WEBHOOK_URL', ['http:', 'https:']),
    apiKeyCacheMs: read.int('API_KEY_CACHE_MS', 5000, 0, 600_000),
  };
}

function readHttpSettings(read: EnvReader): AppConfig['http'] {
  const requestTimeoutMs = read.int('HTTP_REQUEST_TIMEOUT_MS', 30_000, 1000, 3_600_000);
  const headersTimeoutMs = read.int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 1000, 600_000);
  if (headersTimeoutMs > requestTimeoutMs) read.problems.push('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS');
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: read.int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5000, 100, 600_000),
    idleTimeoutMs: read.int('HTTP_IDLE_TIMEOUT_MS', 60_000, 1000, 3_600_000),
    maxConnections: read.int('HTTP_MAX_CONNECTIONS', 10_000, 1, 1_000_000),
    jsonMaxDepth: read.int('JSON_MAX_DEPTH', 32, 2, 1000),
    jsonMaxKeys: read.int('JSON_MAX_KEYS', 10_000, 10, 1_000_000),
    rateLimitPerMinute: read.int('API_RATE_LIMIT_PER_MINUTE', 6000, 0, 100_000_000),
    trustProxy: readTrustProxy(read),
  };
}

function readTrustProxy(read: EnvReader): AppConfig['http']['trustProxy'] {
  const raw = read.string('TRUST_PROXY', 'false');
  if (raw === 'false' || raw === 'true') return raw === 'true';
  const entries = read.list('TRUST_PROXY');
  try {
    AllowList.parse(entries);
    if (entries.every((entry) => /^[0-9a-fA-F.:/]+$/.test(entry))) return entries;
  } catch {
    // reported below
  }
  read.problems.push('TRUST_PROXY must be true, false, or comma-separated proxy addresses/CIDRs');
  return false;
}

const KEY_BYTES = 32;

function readSecretSettings(read: EnvReader): AppConfig['secrets'] {
  const decode = (name: string, text: string): Buffer | undefined => {
    const key = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
    if (key.length === KEY_BYTES) return key;
    read.problems.push(`${name} must be the base64 of ${KEY_BYTES} random bytes (e.g. openssl rand -base64 32)`);
    return undefined;
  };
  const current = read.optionalString('SECRETS_KEY');
  return {
    key: current === undefined ? undefined : decode('SECRETS_KEY', current),
    previousKeys: read.list('SECRETS_PREVIOUS_KEYS').flatMap((text) => decode('SECRETS_PREVIOUS_KEYS', text) ?? []),
  };
}

function readTenant(read: EnvReader, name: string): string {
  const tenant = read.string(name, DEFAULT_TENANT);
  if (!isTenantName(tenant)) read.problems.push(`${name} must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  return tenant;
}

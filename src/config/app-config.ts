import type { ApiKeys } from '../auth/api-keys.js';
import type { S3Credentials } from './s3-credentials.js';
import type { EmailSettings } from './email-settings.js';
import type { TimeLimits } from '../jobs/domain/time-limits.js';

export type AppRole = 'api' | 'worker' | 'scheduler' | 'all';
export type Profile = 'embedded' | 'distributed';
export type ResultStoreKind = 'auto' | 'database' | 'filesystem' | 's3';

/** Where results go in object storage (src/results/adapters/s3-result-store.ts); set when S3_BUCKET is. */
export interface S3Settings {
  /** S3_ENDPOINT: an S3-compatible server (S3Mock, MinIO, …); unset = AWS's endpoint for the region. */
  readonly endpoint: string | undefined;
  /** S3_REGION, default us-east-1. */
  readonly region: string;
  /** S3_BUCKET: must exist. */
  readonly bucket: string;
  /** S3_PREFIX: object keys are `${prefix}${jobId}/${attempt}`; ends in "/". */
  readonly prefix: string;
  /** S3_FORCE_PATH_STYLE: `endpoint/bucket/key` rather than `bucket.endpoint/key` (S3Mock, MinIO). */
  readonly forcePathStyle: boolean;
  /** S3_ACCESS_KEY_ID + S3_SECRET_ACCESS_KEY; unset = the SDK's default chain (env, web identity, instance role). */
  readonly credentials: S3Credentials | undefined;
}

/** How GET /jobs/{id}/result hands out a result kept in S3. */
export interface ResultDeliverySettings {
  /** RESULT_DELIVERY: `stream` through the API, or `redirect` (303) to a presigned URL of the object. */
  readonly mode: 'stream' | 'redirect';
  /** RESULT_PRESIGN_TTL_SECONDS: lifetime of a presigned URL. */
  readonly presignTtlSeconds: number;
}

/** Live progress and its Server-Sent Events stream (src/progress). */
export interface ProgressSettings {
  /** PROGRESS_TTL_SECONDS: lifetime of the Redis hash `job:progress:{id}` after its last write. */
  readonly ttlSeconds: number;
  /** PROGRESS_LIVE_INTERVAL_MS: at most one live write (Redis hash + event) per job per interval. */
  readonly liveIntervalMs: number;
  /** PROGRESS_ROW_INTERVAL_MS: at most one job-row write per job per interval. */
  readonly rowIntervalMs: number;
  /** PROGRESS_KEY_PREFIX: prepended to the Redis key and channel (isolates test runs). */
  readonly keyPrefix: string;
  /** PROGRESS_REDIS_TIMEOUT_MS: command timeout; reads fall back to the job row past it. */
  readonly redisTimeoutMs: number;
  /** SSE_HEARTBEAT_MS: comment line sent on idle streams. */
  readonly sseHeartbeatMs: number;
  /** SSE_MAX_DURATION_MS: a stream ends cleanly after this long; the client reconnects with Last-Event-ID. */
  readonly sseMaxDurationMs: number;
  /** SSE_RETRY_MS: the `retry:` hint sent to clients. */
  readonly sseRetryMs: number;
  /** SSE_MAX_STREAMS_PER_KEY: progress streams one API key (or, unauthenticated, one address) may hold open at once. */
  readonly sseMaxStreamsPerKey: number;
}

/** Webhook delivery (src/webhooks). */
export interface WebhookSettings {
  /** WEBHOOK_TIMEOUT_MS: whole-attempt budget (connect, headers, body). */
  readonly timeoutMs: number;
  /** WEBHOOK_BACKOFF_MS: waits after failed attempt 1, 2, ... ("2000,4000,8000"); past the end the last doubles. */
  readonly backoffMs: number[];
  /** WEBHOOK_MAX_ATTEMPTS: attempts per (re)delivery; default one more than the backoff list. */
  readonly maxAttempts: number;
  /** WEBHOOK_JITTER: 0..1, each wait is spread over ±jitter of itself. */
  readonly jitter: number;
  /** WEBHOOK_RETRY_AFTER_MAX_MS: a receiver's Retry-After is honoured up to this. */
  readonly retryAfterMaxMs: number;
  /** WEBHOOK_RETRYABLE_4XX: 4xx statuses retried (others, except 429 and 410, are final). */
  readonly retryable4xx: number[];
  /** WEBHOOK_DISABLE_AFTER_FAILURES: consecutive failed messages that disable a subscription (0 = never). */
  readonly disableAfterFailures: number;
  /** WEBHOOK_ALLOWED_HOSTS: hosts, addresses or CIDRs exempt from the SSRF guard. */
  readonly allowedHosts: string[];
  /** WEBHOOK_SECRET_ROTATION_OVERLAP_SECONDS: default time the old secret keeps signing after a rotation. */
  readonly rotationOverlapSeconds: number;
  /** WEBHOOK_CALLBACK_SECRET: whsec_ secret(s) signing per-job callbackUrl deliveries, newest first. */
  readonly callbackSecrets: string[];
  /** WEBHOOK_CONCURRENCY: deliveries in flight per node. */
  readonly concurrency: number;
  /** WEBHOOK_QUEUE_PREFIX: Bull key prefix of the delivery queue (isolates test runs). */
  readonly queuePrefix: string;
  /** WEBHOOK_RECONCILE_INTERVAL_MS: how often rows the Bull queue lost or never got are handed to it again. */
  readonly reconcileIntervalMs: number;
}

/** Cron jobs, the scheduler lock and persistent schedules (src/scheduler); run only where `runsScheduler`. */
export interface SchedulerSettings {
  /** DAILY_REPORT_CRON: when the daily activity report is submitted (5 or 6 fields), default "0 2 * * *". */
  readonly dailyReportCron: string;
  /** DAILY_REPORT_ENABLED: false turns the daily report off. */
  readonly dailyReportEnabled: boolean;
  /** DAILY_REPORT_TIMEZONE: IANA zone of DAILY_REPORT_CRON and of the reported "previous day". */
  readonly dailyReportTimezone: string;
  /** SCHEDULE_MISFIRE_GRACE_MS: a fire later than this is a misfire (flagged; misfirePolicy decides). */
  readonly misfireGraceMs: number;
}

/** How the job core survives faults (src/jobs, src/queue, src/workers). */
export interface ReliabilitySettings {
  /** JOB_MAX_INTERRUPTIONS: attempts cut off without an outcome (crash, lost lease, shutdown) before a job is DEAD. */
  readonly maxInterruptions: number;
  /** JOB_DISPATCH_TIMEOUT_MS: a QUEUED job no dispatch reached in this time is claimed straight from PostgreSQL. */
  readonly dispatchTimeoutMs: number;
  /** JOB_UNRUNNABLE_AFTER_MS: a QUEUED job whose type no live worker runs is DEAD after this long. */
  readonly unrunnableAfterMs: number;
  /** DATABASE_CONNECT_TIMEOUT_MS: waiting for a connection; past it the API answers 503. */
  readonly databaseConnectTimeoutMs: number;
  /** DATABASE_QUERY_TIMEOUT_MS: a statement that takes longer is abandoned (never a hung request). */
  readonly databaseQueryTimeoutMs: number;
  /** KAFKA_MAX_MESSAGE_BYTES: larger job messages go to the dead letter topic unread. */
  readonly kafkaMaxMessageBytes: number;
}

/** How long finished work is kept (a retention pass runs under the scheduler lock). */
export interface RetentionSettings {
  /** JOB_RETENTION_SECONDS: finished jobs, their history and results are deleted this long after they finished. */
  readonly jobSeconds: number;
  /** RESULT_TTL_SECONDS: results expire this long after completion (0: kept as long as the job); /result then answers 410. */
  readonly resultSeconds: number;
  /** WEBHOOK_DELIVERY_RETENTION_SECONDS: finished webhook deliveries and their attempt logs. */
  readonly webhookDeliverySeconds: number;
  /** RETENTION_INTERVAL_MS: how often the retention pass runs. */
  readonly intervalMs: number;
  /** AUDIT_RETENTION_DAYS: audit trail rows are deleted this many days after they were written. */
  readonly auditDays: number;
  /** DEAD_MESSAGE_RETENTION_DAYS: records of dead-lettered Kafka messages are deleted this many days after. */
  readonly deadMessageDays: number;
}

/** The operator's toolkit (src/audit, src/dlq, src/alerts). */
export interface OperatorSettings {
  /** ALERT_DEAD_THRESHOLD: this many dead jobs of one type within the window raise a `queue.alert`; 0 = off. */
  readonly alertDeadThreshold: number;
  /** ALERT_DEAD_WINDOW_MINUTES: the alert window (windows are aligned on the database clock). */
  readonly alertDeadWindowMinutes: number;
  /** ALERT_WEBHOOK_URL: receives a signed `queue.alert` webhook event for each raised alert (unset: none). */
  readonly alertWebhookUrl: string | undefined;
  /** API_KEY_CACHE_MS: how long a node trusts what it read about a managed API key (deletions also reach every node via NOTIFY). */
  readonly apiKeyCacheMs: number;
}

/** The HTTP server's limits (src/bootstrap, src/http). */
export interface HttpSettings {
  /** HTTP_REQUEST_TIMEOUT_MS: the whole request (headers and body) must arrive within this. */
  readonly requestTimeoutMs: number;
  /** HTTP_HEADERS_TIMEOUT_MS: the request headers must arrive within this. */
  readonly headersTimeoutMs: number;
  /** HTTP_KEEP_ALIVE_TIMEOUT_MS: an idle kept-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** HTTP_IDLE_TIMEOUT_MS: a connection with no traffic at all is closed after this (SSE streams exempt). */
  readonly idleTimeoutMs: number;
  /** HTTP_MAX_CONNECTIONS: open connections the server accepts at once. */
  readonly maxConnections: number;
  /** JSON_MAX_DEPTH: deepest nesting of arrays/objects a JSON body may have (400 deeper). */
  readonly jsonMaxDepth: number;
  /** JSON_MAX_KEYS: object members a JSON body may have in all (413 above). */
  readonly jsonMaxKeys: number;
  /** API_RATE_LIMIT_PER_MINUTE: requests per key (per address without one) and minute; 0 = off. */
  readonly rateLimitPerMinute: number;
  /** TRUST_PROXY: false, true, or the proxy addresses/CIDRs whose X-Forwarded-For is believed (the client address rate limits key on). */
  readonly trustProxy: boolean | string[];
}

/** Encryption of secrets at rest (src/secrets). Key material: never logged. */
export interface SecretSettings {
  /** SECRETS_KEY: base64 of 32 bytes, encrypts new secrets; unset = generated once into DATA_DIR. */
  readonly key: Buffer | undefined;
  /** SECRETS_PREVIOUS_KEYS: older keys (base64, comma-separated), only to decrypt what they encrypted. */
  readonly previousKeys: Buffer[];
}

/** Resumable tus uploads at /uploads (src/uploads): on S3 when S3_BUCKET is set, else under DATA_DIR/uploads. */
export interface UploadSettings {
  /** UPLOAD_MAX_BYTES: the largest upload accepted (413 above). */
  readonly maxBytes: number;
  /** UPLOAD_EXPIRY_SECONDS: an upload not finished this long after it was created is deleted. */
  readonly expirySeconds: number;
  /** UPLOAD_RETENTION_SECONDS: a finished upload is deleted this long after it was created (0: kept until DELETE). */
  readonly retentionSeconds: number;
  /** UPLOAD_FORM_MAX_BYTES: the largest file of a multipart/form-data upload (POST /uploads/form; 413 above). */
  readonly maxFormBytes: number;
  /** UPLOAD_CHECKSUM_MAX_CHUNK_BYTES: a chunk with Upload-Checksum is checked in memory, so it may be at most this large (413). */
  readonly maxChecksummedChunkBytes: number;
}

/** The video.transcode job type (src/video). */
export interface VideoJobSettings {
  /** VIDEO_JOB_ENABLED: false leaves video.transcode unregistered. */
  readonly enabled: boolean;
  /** FFMPEG_PATH / FFPROBE_PATH: the binaries run as child processes. */
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  /** VIDEO_KILL_GRACE_MS: after SIGTERM, how long ffmpeg may take to exit before SIGKILL. */
  readonly killGraceMs: number;
}

/** The one typed, validated view of the environment. Built by `loadConfig`; injected everywhere else. */
export class AppConfig {
  readonly profile: Profile;
  readonly host: string;
  readonly port: number;
  readonly appRole: AppRole;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly databaseSchema: string | undefined;
  readonly embeddedPostgresPort: number;
  readonly kafkaBrokers: string[];
  readonly kafkaTopic: string;
  readonly kafkaPartitions: number;
  readonly kafkaGroupId: string;
  readonly kafkaDeadLetterTopic: string;
  readonly kafkaClientId: string;
  readonly redisUrl: string | undefined;
  readonly progress: ProgressSettings;
  readonly webhooks: WebhookSettings;
  readonly scheduler: SchedulerSettings;
  readonly reliability: ReliabilitySettings;
  readonly retention: RetentionSettings;
  readonly http: HttpSettings;
  readonly secrets: SecretSettings;
  readonly operator: OperatorSettings;
  /** MAX_QUEUED_JOBS_PER_TENANT: unfinished jobs a tenant may have before HTTP submissions get 429; 0 = no limit. */
  readonly maxQueuedJobsPerTenant: number;
  /** KAFKA_DEFAULT_TENANT: tenant of Kafka-submitted jobs without an `x-tenant` header. */
  readonly kafkaDefaultTenant: string;
  readonly workerConcurrency: number;
  readonly jobLeaseMs: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly defaultMaxAttempts: number;
  /** JOB_TYPE_LIMITS: run timeout and queue-wait TTL per job type, over the handlers' own. */
  readonly jobTypeLimits: ReadonlyMap<string, TimeLimits>;
  readonly bodyLimitBytes: number;
  /** PREFER_WAIT_MAX_SECONDS: the longest `Prefer: wait=N` honoured on submissions (0: never wait). */
  readonly preferWaitMaxSeconds: number;
  readonly resultStore: ResultStoreKind;
  readonly resultInlineMaxBytes: number;
  /** Object storage for results; undefined when S3_BUCKET is not set. */
  readonly s3: S3Settings | undefined;
  readonly resultDelivery: ResultDeliverySettings;
  readonly uploads: UploadSettings;
  readonly video: VideoJobSettings;
  readonly sleepJobEnabled: boolean;
  /** QUEUE_METRICS_INTERVAL_MS: refresh of the autoscaling gauges (consumer lag, backlog); 0 = off. */
  readonly queueMetricsIntervalMs: number;
  readonly shutdownGraceMs: number;
  /** PUBLIC_BASE_URL: where clients reach the API; links in webhooks and emails are absolute under it. */
  readonly publicBaseUrl: string | undefined;
  readonly email: EmailSettings;
  /** Secrets: digests only, never logged. Empty = authentication off. */
  readonly apiKeys: ApiKeys;

  constructor(values: Omit<AppConfig, 'runsApi' | 'runsWorkers' | 'runsScheduler'>) {
    Object.assign(this, values);
  }

  get runsApi(): boolean {
    return this.appRole === 'api' || this.appRole === 'all';
  }

  get runsWorkers(): boolean {
    return this.appRole === 'worker' || this.appRole === 'all';
  }

  get runsScheduler(): boolean {
    return this.appRole === 'scheduler' || this.appRole === 'all';
  }
}

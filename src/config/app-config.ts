export type AppRole = 'api' | 'worker' | 'scheduler' | 'all';
export type Profile = 'embedded' | 'distributed';
export type ResultStoreKind = 'auto' | 'database' | 'filesystem';

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
  readonly workerConcurrency: number;
  readonly jobLeaseMs: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly defaultMaxAttempts: number;
  readonly bodyLimitBytes: number;
  readonly resultStore: ResultStoreKind;
  readonly resultInlineMaxBytes: number;
  readonly sleepJobEnabled: boolean;
  readonly shutdownGraceMs: number;
  readonly publicBaseUrl: string | undefined;

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

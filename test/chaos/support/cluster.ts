import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { installAudit } from './audit.js';
import { ChaosApp, type AppRole } from './chaos-app.js';
import type { ChaosInfra } from './infra.js';
import { ScenarioDb } from './scenario-db.js';

/** Short leases so that a killed or frozen attempt is noticed within seconds. */
export const LEASE_MS = 2500;

/**
 * One scenario's deployment: its own schema, topic, consumer group and Redis key prefix on the
 * suite's servers, and the app processes it started (API and worker nodes of the distributed profile).
 */
export class ChaosCluster {
  readonly apps: ChaosApp[] = [];
  private audit: Promise<void> | null = null;

  private constructor(
    readonly label: string,
    readonly infra: ChaosInfra,
    readonly db: ScenarioDb,
    readonly topic: string,
  ) {}

  static async create(infra: ChaosInfra, label: string): Promise<ChaosCluster> {
    const db = await ScenarioDb.create(infra.postgres.url, label.replace(/[^a-z0-9]/g, '_'));
    return new ChaosCluster(label, infra, db, `lh-chaos-${label}-${randomBytes(3).toString('hex')}`);
  }

  get groupId(): string {
    return `${this.topic}-workers`;
  }

  get deadLetterTopic(): string {
    return `${this.topic}.DLT`;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      KAFKA_BROKERS: this.infra.brokers.join(','),
      KAFKA_TOPIC: this.topic,
      KAFKA_GROUP_ID: this.groupId,
      KAFKA_PARTITIONS: '6',
      REDIS_URL: this.infra.redis.url,
      PROGRESS_KEY_PREFIX: `${this.topic}:`,
      WEBHOOK_QUEUE_PREFIX: this.topic,
      ...this.db.env,
      JOB_LEASE_MS: String(LEASE_MS),
      RETRY_BASE_DELAY_MS: '200',
      JOB_MAX_ATTEMPTS: '10',
      // Well above what random kills do to one job; a job interrupted this often is buried, not lost.
      JOB_MAX_INTERRUPTIONS: '20',
      WORKER_CONCURRENCY: '8',
      DAILY_REPORT_ENABLED: 'false',
      SHUTDOWN_GRACE_MS: '3000',
      ...extra,
    };
  }

  /** Starts a node; the first one to be ready has migrated the schema, so the audit goes in then. */
  async start(name: string, role: AppRole, extra: Record<string, string> = {}): Promise<ChaosApp> {
    const app = await ChaosApp.start(`${this.label}-${name}`, role, this.env(extra));
    this.apps.push(app);
    this.audit ??= installAudit(this.db);
    await this.audit;
    return app;
  }

  /** Starts nodes side by side. */
  startAll(nodes: ReadonlyArray<{ name: string; role: AppRole; env?: Record<string, string> }>): Promise<ChaosApp[]> {
    return Promise.all(nodes.map((node) => this.start(node.name, node.role, node.env)));
  }

  /** The live app whose pid `lockedBy` names. */
  holderOf(lockedBy: string | null): ChaosApp | undefined {
    return this.apps.find((app) => app.alive && app.holds(lockedBy));
  }

  /** Stops every node (SIGTERM, SIGKILL after a grace), keeps their logs, closes the SQL pool. */
  async close(): Promise<void> {
    await Promise.allSettled(this.apps.map((app) => app.stop()));
    const dir = `test-artifacts/chaos/${this.label}`;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    this.apps.forEach((app, index) => writeFileSync(`${dir}/${String(index).padStart(2, '0')}-${app.name}.log`, app.logs()));
    await this.db.close();
  }
}

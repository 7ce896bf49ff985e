import { Module, type DynamicModule } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import type { DatabaseTarget } from './database/typeorm-options.js';
import { ENTITIES } from './entities.js';
import { AuditModule } from './audit/audit.module.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DiagnosticsModule } from './diagnostics/diagnostics.module.js';
import { DlqModule } from './dlq/dlq.module.js';
import { HealthModule } from './health/health.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ProgressModule } from './progress/progress.module.js';
import { QueueModule } from './queue/queue.module.js';
import { JobHandlersModule } from './workers/job-handlers.module.js';
import { WorkerPoolModule } from './workers/worker-pool.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { SchedulerModule } from './scheduler/scheduler.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { EmailModule } from './email/email.module.js';
import { SecretsModule } from './secrets/secrets.module.js';
import { TenancyModule } from './tenancy/tenancy.module.js';
import { UploadsModule } from './uploads/uploads.module.js';
import { VideoModule } from './video/video.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: DatabaseTarget): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        EventEmitterModule.forRoot({ wildcard: false }),
        DatabaseModule.forRoot(
          database,
          {
            connectTimeoutMs: config.reliability.databaseConnectTimeoutMs,
            queryTimeoutMs: config.reliability.databaseQueryTimeoutMs,
          },
          ENTITIES,
        ),
        SecretsModule,
        TenancyModule,
        AuditModule,
        ApiKeysModule,
        MetricsModule,
        RetentionModule.forRoot(config),
        QueueModule.forRoot(config),
        JobsModule,
        JobHandlersModule,
        // Job executors exist only where jobs run: API-only and scheduler-only nodes never construct them.
        ...(config.runsWorkers ? [WorkerPoolModule] : []),
        ReportsModule,
        SchedulerModule.forRoot(config),
        DlqModule,
        AlertsModule,
        WebhooksModule.forRoot(config),
        EmailModule.forRoot(config),
        DiagnosticsModule.forRoot(config.sleepJobEnabled),
        UploadsModule,
        VideoModule.forRoot(config.video.enabled),
        HealthModule,
        ProgressModule,
        DashboardModule,
      ],
    };
  }
}

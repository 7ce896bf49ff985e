import { DeadJobAlertEntity } from './alerts/dead-job-alert.entity.js';
import { ApiKeyEntity } from './api-keys/api-key.entity.js';
import { AuditLogEntity } from './audit/audit-log.entity.js';
import { EmailDeliveryAttemptEntity } from './email/entities/email-delivery-attempt.entity.js';
import { EmailDeliveryEntity } from './email/entities/email-delivery.entity.js';
import { EmailSubscriptionEntity } from './email/entities/email-subscription.entity.js';
import { JobReplayEntity } from './dlq/job-replay.entity.js';
import { JobOutboxEntity } from './jobs/entities/job-outbox.entity.js';
import { JobTransitionEntity } from './jobs/entities/job-transition.entity.js';
import { JobWorkerEntity } from './jobs/entities/job-worker.entity.js';
import { JobEntity } from './jobs/entities/job.entity.js';
import { DeadMessageEntity } from './queue/dead-messages/dead-message.entity.js';
import { JobResultEntity } from './results/job-result.entity.js';
import { SchedulerLockEntity } from './scheduler/lock/scheduler-lock.entity.js';
import { ScheduleEntity } from './scheduler/schedules/schedule.entity.js';
import { WebhookDeliveryAttemptEntity } from './webhooks/entities/webhook-delivery-attempt.entity.js';
import { WebhookDeliveryEntity } from './webhooks/entities/webhook-delivery.entity.js';
import { WebhookSubscriptionEntity } from './webhooks/entities/webhook-subscription.entity.js';

/**
 * Every table's entity. The migrations build the schema; a test proves these entities describe
 * exactly what they build (TypeORM's schema diff is empty), so the two cannot drift apart.
 */
export const ENTITIES = [
  JobEntity,
  JobTransitionEntity,
  JobOutboxEntity,
  JobWorkerEntity,
  JobReplayEntity,
  JobResultEntity,
  ScheduleEntity,
  SchedulerLockEntity,
  WebhookSubscriptionEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
  AuditLogEntity,
  ApiKeyEntity,
  DeadJobAlertEntity,
  EmailSubscriptionEntity,
  EmailDeliveryEntity,
  EmailDeliveryAttemptEntity,
  DeadMessageEntity,
];

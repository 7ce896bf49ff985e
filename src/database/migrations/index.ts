import { CreateJobs1764400000000 } from './1764400000000-create-jobs.js';
import { Scheduling1764400100000 } from './1764400100000-scheduling.js';
import { Webhooks1764400200000 } from './1764400200000-webhooks.js';
import { JobOutbox1764400300000 } from './1764400300000-job-outbox.js';
import { JobReplays1764400400000 } from './1764400400000-job-replays.js';
import { FaultTolerance1764500000000 } from './1764500000000-fault-tolerance.js';
import { Tenancy1764600000000 } from './1764600000000-tenancy.js';
import { EmailNotifications1764700000000 } from './1764700000000-email-notifications.js';
import { AuditLog1764800000000 } from './1764800000000-audit-log.js';
import { OperatorToolkit1764800100000 } from './1764800100000-operator-toolkit.js';
import { TimeLimits1764900000000 } from './1764900000000-time-limits.js';
import { DeadMessages1764900100000 } from './1764900100000-dead-messages.js';

/** Every migration in order. Listed by hand so the ESM build needs no glob loading. */
export const MIGRATIONS = [
  CreateJobs1764400000000,
  Scheduling1764400100000,
  Webhooks1764400200000,
  JobOutbox1764400300000,
  JobReplays1764400400000,
  FaultTolerance1764500000000,
  Tenancy1764600000000,
  EmailNotifications1764700000000,
  AuditLog1764800000000,
  OperatorToolkit1764800100000,
  TimeLimits1764900000000,
  DeadMessages1764900100000,
];

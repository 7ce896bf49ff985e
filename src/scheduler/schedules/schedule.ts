import type { MisfirePolicy, OverlapPolicy } from '../domain/misfire-policy.js';

export interface ScheduleJobSpec {
  type: string;
  payload: Record<string, unknown>;
  maxAttempts: number | null;
  priority: number;
}

/** What an operator defines. */
export interface ScheduleDefinition {
  name: string;
  cron: string;
  timezone: string;
  job: ScheduleJobSpec;
  enabled: boolean;
  misfirePolicy: MisfirePolicy;
  overlapPolicy: OverlapPolicy;
}

/** A persistent schedule with its runtime state (Quartz's trigger). */
export interface Schedule extends ScheduleDefinition {
  id: string;
  /** Its jobs belong to this tenant. */
  tenant: string;
  /** The earliest fire that has not happened yet; null while paused. */
  nextFireTime: Date | null;
  lastFireTime: Date | null;
  lastJobId: string | null;
  lastMisfireAt: Date | null;
  misfiredSince: Date | null;
  misfireCount: number;
  lastError: string | null;
  /** Bumped by every definition change; an evaluation stores its outcome only against the version it read. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** The database clock when the row was read (for the status). */
  readAt: Date;
}

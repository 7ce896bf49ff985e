import { DiscoveryService } from '@nestjs/core';
import type { TimeLimits } from '../jobs/domain/time-limits.js';
import type { JobResultDescription, PayloadClass } from '../jobs/types/job-types.js';

export interface JobHandlerOptions {
  /** The job type this handler serves, e.g. 'report'. */
  type: string;
  /** class-validator class that the payload must satisfy (shared by HTTP, Kafka and the worker); also its OpenAPI schema. */
  payload: PayloadClass;
  /** What the handler's result looks like, for the API contract. */
  result?: JobResultDescription;
  /** A human description shown in the API docs. */
  description?: string;
  /** Run timeout and queue-wait TTL of jobs of this type that ask for none. */
  limits?: TimeLimits;
  /** Only longhaul's own features start jobs of this type (clients cannot submit it; the contract omits it). */
  internal?: boolean;
}

/** Marks a provider as the one handler of a job type; the registry finds it at boot. */
export const JobHandlerFor = DiscoveryService.createDecorator<JobHandlerOptions>();

import { DiscoveryService } from '@nestjs/core';

export interface JobHandlerOptions {
  /** The job type this handler serves, e.g. 'report'. */
  type: string;
  /** class-validator class that the payload must satisfy (shared by HTTP, Kafka and the worker). */
  payload: new () => object;
  /** A human description shown in the API docs. */
  description?: string;
}

/** Marks a provider as the one handler of a job type; the registry finds it at boot. */
export const JobHandlerFor = DiscoveryService.createDecorator<JobHandlerOptions>();

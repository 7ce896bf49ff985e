import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { AppConfig } from '../config/app-config.js';
import { JobTypes } from '../jobs/types/job-types.js';
import { JobHandlerFor, type JobHandlerOptions } from './job-handler.decorator.js';
import type { JobHandler } from './job-handler.js';

export interface RegisteredHandler {
  options: JobHandlerOptions;
  handler: JobHandler;
}

/** Finds the @JobHandlerFor providers at boot and enters their types into the JobTypes catalog. */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, RegisteredHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly jobTypes: JobTypes,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: JobHandlerFor.KEY })) {
      const options = this.discovery.getMetadataByDecorator(JobHandlerFor, wrapper);
      if (!options || !wrapper.instance) continue;
      this.register(options, wrapper.instance as JobHandler);
    }
  }

  register(declared: JobHandlerOptions, handler: JobHandler): void {
    if (typeof handler.handle !== 'function') {
      throw new Error(`the handler for "${declared.type}" has no handle() method`);
    }
    // The deployment's JOB_TYPE_LIMITS win over what the handler declares.
    const options = { ...declared, limits: { ...declared.limits, ...this.config.jobTypeLimits.get(declared.type) } };
    this.jobTypes.register({ type: options.type, payload: options.payload, result: options.result, description: options.description, limits: options.limits, internal: options.internal,
      admit: handler.admit ? (payload, submission) => handler.admit!(payload, submission) : undefined,
    });
    this.handlers.set(options.type, { options, handler });
  }

  get(type: string): RegisteredHandler | undefined {
    return this.handlers.get(type);
  }

  /** The types this node can run. */
  types(): string[] {
    return [...this.handlers.keys()].sort();
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { JobHandlerFor, type JobHandlerOptions } from './job-handler.decorator.js';
import type { JobHandler } from './job-handler.js';

export interface RegisteredHandler {
  options: JobHandlerOptions;
  handler: JobHandler;
}

@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, RegisteredHandler>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: JobHandlerFor.KEY })) {
      const options = this.discovery.getMetadataByDecorator(JobHandlerFor, wrapper);
      if (!options || !wrapper.instance) continue;
      this.register(options, wrapper.instance as JobHandler);
    }
  }

  register(options: JobHandlerOptions, handler: JobHandler): void {
    if (this.handlers.has(options.type)) {
      throw new Error(`two handlers claim the job type "${options.type}"; each type needs exactly one`);
    }
    if (typeof handler.handle !== 'function') {
      throw new Error(`the handler for "${options.type}" has no handle() method`);
    }
    this.handlers.set(options.type, { options, handler });
  }

  get(type: string): RegisteredHandler | undefined {
    return this.handlers.get(type);
  }

  types(): string[] {
    return [...this.handlers.keys()].sort();
  }
}

import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobTypesModule } from '../jobs/types/job-types.module.js';
import { JobHandlerRegistry } from './job-handler.registry.js';

/** Every node: the handlers' types enter the catalog (API nodes validate submissions against it). */
@Module({
  imports: [DiscoveryModule, JobTypesModule],
  providers: [JobHandlerRegistry],
  exports: [JobHandlerRegistry],
})
export class JobHandlersModule {}

import { Module } from '@nestjs/common';
import { JobTypes } from './job-types.js';

/** One catalog per application: every module importing this one shares it. */
@Module({
  providers: [JobTypes],
  exports: [JobTypes],
})
export class JobTypesModule {}

import { Module, type DynamicModule } from '@nestjs/common';
import { BlobHandler } from './blob.handler.js';
import { SleepHandler } from './sleep.handler.js';

@Module({})
export class DiagnosticsModule {
  /** SLEEP_JOB_ENABLED=false leaves the diagnostic types `sleep` and `blob` unregistered (submissions then get 422). */
  static forRoot(enabled: boolean): DynamicModule {
    return { module: DiagnosticsModule, providers: enabled ? [SleepHandler, BlobHandler] : [] };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { UploadsModule } from '../uploads/uploads.module.js';
import { TranscodeHandler } from './transcode.handler.js';

/** The video.transcode job type (VIDEO_JOB_ENABLED=false leaves it unregistered). */
@Module({})
export class VideoModule {
  static forRoot(enabled: boolean): DynamicModule {
    return { module: VideoModule, imports: [UploadsModule], providers: enabled ? [TranscodeHandler] : [] };
  }
}

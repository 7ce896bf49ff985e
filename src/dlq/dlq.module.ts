import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { DeadLettersController } from './dead-letters.controller.js';
import { DeadLettersService } from './dead-letters.service.js';
import { JobReplaysRepository } from './job-replays.repository.js';
import { DeadLettersRepository } from './dead-letters.repository.js';
import { BulkReplayHandler } from './bulk-replay.handler.js';
import { DeadMessagesController } from './dead-messages.controller.js';
import { DeadMessagesService } from './dead-messages.service.js';
import { DeadMessagesRetention } from './dead-messages-retention.js';

@Module({
  imports: [JobsModule],
  controllers: [DeadLettersController, DeadMessagesController],
  providers: [DeadLettersService, JobReplaysRepository, DeadLettersRepository, BulkReplayHandler, DeadMessagesService, DeadMessagesRetention],
})
export class DlqModule {}

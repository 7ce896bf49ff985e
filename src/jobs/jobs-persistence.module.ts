import { Module } from '@nestjs/common';
import { JobEvents } from './job-events.js';
import { JobsRepository } from './jobs.repository.js';
import { WorkerPresenceRepository } from './worker-presence.repository.js';
import { JobEventOutboxRepository } from './job-event-outbox.repository.js';
import { JobEventRelay } from './job-event-relay.js';

@Module({
  providers: [JobsRepository, JobEvents, WorkerPresenceRepository, JobEventOutboxRepository, JobEventRelay],
  exports: [JobsRepository, JobEvents, WorkerPresenceRepository, JobEventRelay],
})
export class JobsPersistenceModule {}

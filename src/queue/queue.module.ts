import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { JobsPersistenceModule } from '../jobs/jobs-persistence.module.js';
import { DueJobsSweeper } from './due-jobs-sweeper.js';
import { DeadMessagesRepository } from './dead-messages/dead-messages.repository.js';
import { DeadJobsSink } from './kafka/dead-jobs-sink.js';
import { JobQueue } from './job-queue.port.js';
import { KafkaConnection } from './kafka/kafka-connection.js';
import { KafkaJobQueue } from './kafka/kafka-job-queue.js';
import { OutboxRelay } from './kafka/outbox-relay.js';
import { OutboxRepository } from './kafka/outbox.repository.js';
import { LocalJobQueue } from './local/local-job-queue.js';

/** The one place the job transport is chosen: Kafka on the distributed profile, the jobs table otherwise. */
@Module({})
export class QueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    const transport: Provider[] =
      config.profile === 'distributed'
        ? [KafkaConnection, OutboxRepository, OutboxRelay, DeadJobsSink, { provide: JobQueue, useClass: KafkaJobQueue }]
        : [{ provide: JobQueue, useClass: LocalJobQueue }];
    return {
      module: QueueModule,
      global: true,
      imports: [JobsPersistenceModule],
      providers: [...transport, DueJobsSweeper, DeadMessagesRepository],
      exports: [JobQueue, DueJobsSweeper, DeadMessagesRepository],
    };
  }
}

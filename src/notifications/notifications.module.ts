import { Module } from '@nestjs/common';
import { JobsPersistenceModule } from '../jobs/jobs-persistence.module.js';
import { NotificationHub } from './notification-hub.js';

/** The notification port's hub: channels (webhooks, email, SSE) import this module and register with the hub. */
@Module({
  imports: [JobsPersistenceModule],
  providers: [NotificationHub],
  exports: [NotificationHub],
})
export class NotificationsModule {}

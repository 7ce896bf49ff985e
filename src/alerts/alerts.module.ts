import { Module } from '@nestjs/common';
import { DeadJobAlerts } from './dead-job-alerts.js';
import { DeadJobAlertsRepository } from './dead-job-alerts.repository.js';

/** Operator alerts on dead jobs (metric, threshold per window). */
@Module({ providers: [DeadJobAlertsRepository, DeadJobAlerts], exports: [DeadJobAlerts] })
export class AlertsModule {}

import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';

/** GET /dashboard: jobs with live progress, job history, dead jobs, schedules. Talks to the public API only. */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}

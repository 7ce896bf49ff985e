import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DashboardController } from './dashboard.controller.js';

interface Redirecting {
  redirect(url: string, code: number): unknown;
}

/** GET /dashboard: jobs with live progress, job history, dead jobs, schedules. Talks to the public API only. */
@Module({ controllers: [DashboardController] })
export class DashboardModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** `/dashboard/` (a common way to type it) would be a 404 otherwise: routes are matched exactly. */
  onModuleInit(): void {
    this.adapterHost.httpAdapter.get('/dashboard/', (_request: unknown, reply: Redirecting) =>
      reply.redirect('/dashboard', 308),
    );
  }
}

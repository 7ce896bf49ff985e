import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tap, type Observable } from 'rxjs';
import { ProblemException } from '../../common/problem/problem.exception.js';
import { TenantBacklog } from './tenant-backlog.js';

/**
 * Refuses a submission while the caller's tenant has too many unfinished jobs (429 + Retry-After),
 * and counts the submissions that went through, so a refused or invalid request uses up nothing.
 */
@Injectable()
export class BacklogInterceptor implements NestInterceptor {
  constructor(private readonly backlog: TenantBacklog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const tenant = http.getRequest<FastifyRequest>().principal?.tenant;
    if (tenant === undefined) return next.handle();
    if (!this.backlog.hasRoom(tenant)) {
      void http.getResponse<FastifyReply>().header('retry-after', String(this.backlog.retryAfterSeconds));
      throw new ProblemException(429, 'backlog-full', 'Too many unfinished jobs', `tenant ${tenant} has reached its limit of unfinished jobs; retry later`);
    }
    return next.handle().pipe(tap(() => this.backlog.submitted(tenant)));
  }
}

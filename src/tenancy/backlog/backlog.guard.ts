import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '../../common/problem/problem.exception.js';
import { TenantBacklog } from './tenant-backlog.js';

/**
 * Refuses a submission while the caller's tenant has too many unfinished jobs: 429 with Retry-After.
 * A guard (a map lookup) rather than an interceptor, which would put every submit through rxjs; a
 * request it lets through counts until the next refresh even if it then fails validation.
 */
@Injectable()
export class BacklogGuard implements CanActivate {
  constructor(private readonly backlog: TenantBacklog) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const tenant = http.getRequest<FastifyRequest>().principal?.tenant;
    if (tenant === undefined || this.backlog.admit(tenant)) return true;
    void http.getResponse<FastifyReply>().header('retry-after', String(this.backlog.retryAfterSeconds));
    throw new ProblemException(429, 'backlog-full', 'Too many unfinished jobs', `tenant ${tenant} has reached its limit of unfinished jobs; retry later`);
  }
}

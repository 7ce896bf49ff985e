import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** The authenticated key's name (jobs are owned by it, and idempotency keys are scoped to it); undefined with auth off. */
export const CallerName = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  return context.switchToHttp().getRequest<FastifyRequest>().principal?.name;
});

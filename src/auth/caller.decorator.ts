import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ApiPrincipal } from './api-keys.js';
import { AuthProblems } from './auth-problems.js';

/** The caller (set by the authentication hook; the anonymous admin when authentication is off). */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): ApiPrincipal => {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!principal) throw AuthProblems.keyRequired();
  return principal;
});

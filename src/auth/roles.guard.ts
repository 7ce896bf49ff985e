import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ACCESS_METADATA, type Access } from './access.decorator.js';
import { AuthProblems } from './auth-problems.js';

/**
 * Global guard: a route runs only if its controller or handler declares who may call it
 * (`@Roles`, `@Public`) and the caller has one of those roles. A route without a rule is refused,
 * whatever the key, so a forgotten decorator fails closed.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly logger = new Logger(RolesGuard.name);
  /** Metadata never changes after boot: read it once per handler, not on every request. */
  private readonly rules = new WeakMap<object, Access | null>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let access = this.rules.get(handler);
    if (access === undefined) {
      access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [handler, context.getClass()]) ?? null;
      this.rules.set(handler, access);
    }
    if (!access) {
      this.logger.error({ msg: 'route refused: it declares no access rule', handler: `${context.getClass().name}.${context.getHandler().name}` });
      throw AuthProblems.noAccessRule();
    }
    if (access.public) return true;
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (!principal) throw AuthProblems.keyRequired();
    if (!access.roles.includes(principal.role)) throw AuthProblems.roleRefused(principal.role);
    return true;
  }
}

import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { mergeMap, type Observable } from 'rxjs';
import { AuditRecorder } from './audit-recorder.port.js';
import { AUDIT_METADATA, type AuditRule, type AuditedCall } from './audit-metadata.js';

const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

function field(answer: unknown, name: string): string | null {
  if (answer === null || typeof answer !== 'object') return null;
  const value = (answer as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

const defaultTarget = (call: AuditedCall): string | null => call.params.id ?? field(call.answer, 'id') ?? field(call.answer, 'jobId');

/** The caller's request id (X-Request-ID when it is sane), else the server's own. */
function requestIdOf(request: FastifyRequest): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : String(request.id);
}

function detailsOf(rule: AuditRule, call: AuditedCall, request: FastifyRequest): Record<string, unknown> | null {
  const details = { ...rule.details?.(call), ...request.auditFacts?.details };
  return Object.keys(details).length > 0 ? details : null;
}

/**
 * Records each successful call of an `@Audited` handler once its answer is ready. Attached by `@Audited`
 * to those handlers only: a global interceptor would wrap every request of the API in an observable.
 */
@Injectable()
export class AuditedCallInterceptor implements NestInterceptor {
  private readonly rules = new WeakMap<object, AuditRule | null>();

  constructor(
    private readonly reflector: Reflector,
    private readonly trail: AuditRecorder,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rule = this.ruleOf(context);
    if (!rule || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const call = { params: (request.params ?? {}) as Record<string, string | undefined>, body: request.body };
    if (rule.skip?.(call)) return next.handle();
    return next.handle().pipe(
      mergeMap(async (answer: unknown) => {
        const audited: AuditedCall = { ...call, answer };
        const principal = request.principal;
        await this.trail.record({
          actor: principal?.name ?? 'anonymous',
          actorRole: principal?.role ?? 'none',
          tenant: request.auditFacts?.tenant ?? field(answer, 'tenant') ?? principal?.tenant ?? 'default',
          action: rule.action,
          target: (rule.target ?? defaultTarget)(audited),
          remoteAddress: request.ip ?? null,
          requestId: requestIdOf(request),
          details: detailsOf(rule, audited, request),
        });
        return answer;
      }),
    );
  }

  private ruleOf(context: ExecutionContext): AuditRule | null {
    const handler = context.getHandler();
    let rule = this.rules.get(handler);
    if (rule === undefined) {
      rule = this.reflector.get<AuditRule | undefined>(AUDIT_METADATA, handler) ?? null;
      this.rules.set(handler, rule);
    }
    return rule;
  }
}

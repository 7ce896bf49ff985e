import { ArgumentsHost, Catch, HttpException, Logger, NotFoundException, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { isDatabaseUnavailable } from '../sql/database-errors.js';
import { PROBLEM_BASE, type ProblemBody } from './problem.exception.js';
import { requestPath } from './request-path.js';

const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

const STATUS_SLUGS: Record<number, [string, string]> = {
  400: ['bad-request', 'Bad request'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  406: ['not-acceptable', 'Not acceptable'],
  408: ['request-timeout', 'Request timeout'],
  409: ['conflict', 'Conflict'],
  410: ['gone', 'Gone'],
  413: ['payload-too-large', 'Request body too large'],
  414: ['uri-too-long', 'URI too long'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  422: ['unprocessable', 'Unprocessable request'],
  429: ['too-many-requests', 'Too many requests'],
  500: ['internal', 'Internal server error'],
  503: ['service-unavailable', 'Service unavailable'],
};

interface ErrorWithStatus {
  statusCode?: number;
  status?: number;
  message?: string;
  code?: string;
}

/** Turns any error into application/problem+json; a 500 hides its cause and logs it under an id. */
export function toProblem(error: unknown, instance: string, logger: Logger): ProblemBody {
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    if (typeof response === 'object' && response !== null && 'type' in response) {
      return { ...(response as ProblemBody), status, instance };
    }
    if (status >= 500) return internal(status, error, instance, logger);
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    return generic(status, instance, Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message);
  }
  if (isDatabaseUnavailable(error)) return unavailable(instance, logger, error);
  const withStatus = error as ErrorWithStatus;
  const status = withStatus?.statusCode ?? withStatus?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return generic(status, instance, withStatus.message);
  }
  return internal(500, error, instance, logger);
}

/** A 5xx: the client gets an error id, never the cause; the log gets both. */
function internal(status: number, error: unknown, instance: string, logger: Logger): ProblemBody {
  const errorId = randomUUID();
  logger.error({ msg: 'unhandled error', errorId, instance, status, error: error instanceof Error ? error.stack : String(error) });
  const [slug, title] = STATUS_SLUGS[status] ?? ['http-' + status, 'Server error'];
  return {
    type: PROBLEM_BASE + slug,
    title,
    status,
    detail: `Something went wrong on our side. Quote error id ${errorId} when reporting it.`,
    instance,
    errorId,
  };
}

/** The database is down or restarting: 503 with Retry-After, so clients back off and try again. */
function unavailable(instance: string, logger: Logger, error: unknown): ProblemBody {
  logger.warn({ msg: 'database unavailable; answering 503', instance, error: error instanceof Error ? error.message : String(error) });
  return {
    ...generic(503, instance, 'The service cannot reach its database right now; try again shortly.'),
    retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
  };
}

function generic(status: number, instance: string, detail?: string): ProblemBody {
  const [slug, title] = STATUS_SLUGS[status] ?? ['http-' + status, 'Request failed'];
  return { type: PROBLEM_BASE + slug, title, status, detail, instance };
}

export function sendProblem(reply: FastifyReply, problem: ProblemBody): void {
  if (typeof problem.retryAfterSeconds === 'number') void reply.header('Retry-After', String(problem.retryAfterSeconds));
  void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const path = requestPath(request);
    // Nest's "Cannot GET <url>" would echo the query string (and a credential in it).
    const cause = error instanceof NotFoundException && String(error.message).startsWith('Cannot ') ? new NotFoundException(`no route for ${request.method} ${path}`) : error;
    sendProblem(reply, toProblem(cause, path, this.logger));
  }
}

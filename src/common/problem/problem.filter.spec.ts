import { BadRequestException, HttpException, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { PROBLEM_BASE, ProblemException, Problems } from './problem.exception.js';
import { toProblem } from './problem.filter.js';

class RecordingLogger extends Logger {
  readonly errors: unknown[] = [];

  override error(message: unknown): void {
    this.errors.push(message);
  }
}

function map(error: unknown, instance = '/jobs') {
  const logger = new RecordingLogger();
  return { problem: toProblem(error, instance, logger), logged: logger.errors };
}

describe('toProblem', () => {
  it('keeps a ProblemException as it is, adding the instance', () => {
    const { problem, logged } = map(Problems.unknownJobType('nope', ['report', 'sleep']));
    expect(problem).toEqual({
      type: PROBLEM_BASE + 'unknown-job-type',
      title: 'Unknown job type',
      status: 422,
      detail: '"nope" is not a known job type',
      knownTypes: ['report', 'sleep'],
      instance: '/jobs',
    });
    expect(logged).toEqual([]);
  });

  it('names each invalid field of a validation problem', () => {
    const { problem } = map(Problems.validation([{ field: 'payload.ms', message: 'ms must not be less than 0' }]));
    expect(problem).toMatchObject({
      type: PROBLEM_BASE + 'validation',
      status: 400,
      detail: 'payload.ms: ms must not be less than 0',
      errors: [{ field: 'payload.ms', message: 'ms must not be less than 0' }],
    });
  });

  it.each([
    ['resultNotReady', Problems.resultNotReady('j1', 'RUNNING'), 'result-not-ready'],
    ['alreadyFinished', Problems.alreadyFinished('j1', 'COMPLETED'), 'job-already-finished'],
    ['idempotencyConflict', Problems.idempotencyConflict('k', 'j1'), 'idempotency-key-conflict'],
  ])('keeps the HTTP status of %s a number (extensions never overwrite it)', (_name, error, slug) => {
    const { problem } = map(error);
    expect(problem.status).toBe(409);
    expect(problem.type).toBe(PROBLEM_BASE + slug);
  });

  it('carries the job status of a 409 as an extension', () => {
    expect(map(Problems.resultNotReady('j1', 'QUEUED')).problem).toMatchObject({ status: 409, jobStatus: 'QUEUED' });
  });

  it('lets no extension replace type, title or status', () => {
    const error = new ProblemException(409, 'conflict-x', 'Conflict X', 'detail', { status: 'RUNNING', type: 'evil', title: 'evil' });
    expect(map(error).problem).toMatchObject({ status: 409, type: PROBLEM_BASE + 'conflict-x', title: 'Conflict X' });
  });

  it('maps plain Nest HTTP exceptions to a generic problem with their message', () => {
    expect(map(new NotFoundException('Cannot GET /nowhere'), '/nowhere').problem).toEqual({
      type: PROBLEM_BASE + 'not-found',
      title: 'Not found',
      status: 404,
      detail: 'Cannot GET /nowhere',
      instance: '/nowhere',
    });
    expect(map(new BadRequestException(['a is wrong', 'b is wrong'])).problem).toMatchObject({
      status: 400,
      type: PROBLEM_BASE + 'bad-request',
      detail: 'a is wrong; b is wrong',
    });
    expect(map(new HttpException('teapot', 418)).problem).toMatchObject({ status: 418, type: PROBLEM_BASE + 'http-418', detail: 'teapot' });
  });

  it('maps framework errors that carry a 4xx statusCode (e.g. Fastify body limit)', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(map(tooLarge).problem).toEqual({
      type: PROBLEM_BASE + 'payload-too-large',
      title: 'Request body too large',
      status: 413,
      detail: 'Request body is too large',
      instance: '/jobs',
    });
  });

  it('hides the cause of an unexpected error behind an error id, and logs both', () => {
    const { problem, logged } = map(new Error('relation "jobs" does not exist at /srv/app/secret.ts:12'));
    expect(problem).toMatchObject({ type: PROBLEM_BASE + 'internal', title: 'Internal server error', status: 500, instance: '/jobs' });
    expect(problem.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(problem)).not.toMatch(/relation|secret|\.ts/);
    expect(problem.detail).toContain(problem.errorId as string);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ msg: 'unhandled error', errorId: problem.errorId, instance: '/jobs' });
    expect(JSON.stringify(logged[0])).toContain('relation \\"jobs\\" does not exist');
  });

  it('treats a thrown non-error and a 5xx statusCode as internal too', () => {
    expect(map('boom').problem.status).toBe(500);
    expect(map(Object.assign(new Error('upstream'), { statusCode: 502 })).problem).toMatchObject({ status: 500, type: PROBLEM_BASE + 'internal' });
  });

  it('keeps the status of a 5xx HTTP exception but not its message', () => {
    const { problem, logged } = map(new ServiceUnavailableException('database at 10.0.0.5 refused'));
    expect(problem).toMatchObject({ status: 503, type: PROBLEM_BASE + 'service-unavailable' });
    expect(JSON.stringify(problem)).not.toContain('10.0.0.5');
    expect(logged).toHaveLength(1);
  });
});

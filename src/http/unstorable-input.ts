import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Problems } from '../common/problem/problem.exception.js';
import { findUnstorableText } from '../common/validation/unstorable-text.js';

/**
 * Text PostgreSQL cannot store (NUL, lone surrogates) is bad input wherever it comes from: the body,
 * the query string or a path parameter. Refused with a 400 naming the field, before any handler runs.
 */
export function refuseUnstorableInput(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request: FastifyRequest, _reply, done) => {
    const found =
      findUnstorableText(request.params ?? {}, 'path') ?? findUnstorableText(request.query ?? {}, 'query') ?? findUnstorableText(request.body ?? {}, '');
    done(found ? Problems.validation([{ field: found.field, message: `${found.field} ${found.reason}` }]) : undefined);
  });
}

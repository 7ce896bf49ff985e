import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Problems } from '../common/problem/problem.exception.js';
import { findUnstorableText } from '../common/validation/unstorable-text.js';

/**
 * Text PostgreSQL cannot store (NUL, lone surrogates) is bad input wherever it comes from: the body,
 * the query string or a path parameter. Refused with a 400 naming the field, before any handler runs.
 */
/** Most requests have no query and no path parameters: skip the walk for them. */
function check(value: unknown, root: string) {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return null;
  return findUnstorableText(value, root);
}

export function refuseUnstorableInput(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request: FastifyRequest, _reply, done) => {
    const found = check(request.params, 'path') ?? check(request.query, 'query') ?? check(request.body, '');
    done(found ? Problems.validation([{ field: found.field, message: `${found.field} ${found.reason}` }]) : undefined);
  });
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { ProblemException } from '../common/problem/problem.exception.js';
import { checkJsonShape, type JsonLimits } from './json-limits.js';

/**
 * The only body parser: application/json (any other type is 415), checked for depth and member count
 * before it is parsed, with prototype-poisoning keys refused as Fastify's own parser does.
 */
export function installJsonBodyParser(fastify: FastifyInstance, bodyLimit: number, limits: JsonLimits): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_request: FastifyRequest, text: string | Buffer, done) => {
    const body = typeof text === 'string' ? text : text.toString('utf8');
    if (body.trim() === '') return done(new ProblemException(400, 'bad-request', 'Invalid JSON body', 'the body is empty'), undefined);
    const shape = checkJsonShape(body, limits);
    if (shape) return done(new ProblemException(shape.status, shape.status === 413 ? 'json-too-large' : 'json-too-deep', 'JSON body refused', shape.reason), undefined);
    try {
      done(null, secureJson.parse(body, null, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      const detail = error instanceof SyntaxError ? 'the body is not valid JSON' : 'the body may not set __proto__ or constructor.prototype';
      done(new ProblemException(400, 'bad-request', 'Invalid JSON body', detail), undefined);
    }
  });
}

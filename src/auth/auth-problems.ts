import type { FastifyReply } from 'fastify';
import { ProblemException } from '../common/problem/problem.exception.js';
import { requestPath } from '../common/problem/request-path.js';

export const AuthProblems = {
  keyRequired: () => new ProblemException(401, 'unauthorized', 'API key required', 'send Authorization: Bearer <key> or X-API-Key'),
  keyUnknown: () => new ProblemException(401, 'unauthorized', 'API key not recognised', 'the key sent is not one of this service’s keys'),
  roleRefused: (role: string) => new ProblemException(403, 'forbidden', 'Not allowed for this key', `role ${role} may not call this operation`),
  noAccessRule: () => new ProblemException(403, 'forbidden', 'Not allowed', 'this route declares no access rule'),
};

export const WWW_AUTHENTICATE = 'Bearer realm="longhaul"';

/** Answers from a Fastify hook (before Nest's pipeline) with the same problem body the filter would send. */
export function refuse(reply: FastifyReply, problem: ProblemException): FastifyReply {
  if (problem.getStatus() === 401) void reply.header('www-authenticate', WWW_AUTHENTICATE);
  return reply
    .status(problem.getStatus())
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ ...problem.problem, instance: requestPath(reply.request) });
}

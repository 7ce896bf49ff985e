import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '../common/problem/problem.exception.js';
import { sendProblem } from '../common/problem/problem.filter.js';
import { requestPath } from '../common/problem/request-path.js';

/** The router's own refusals (before any route or hook runs), as problems that never echo the URL. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new ProblemException(414, 'uri-too-long', 'URI too long', 'a path segment is too long')
      : new ProblemException(400, 'bad-request', 'Bad request', error.code === 'FST_ERR_BAD_URL' ? 'the path is not validly percent-encoded' : 'the request cannot be routed');
  sendProblem(reply, { ...problem.problem, instance: requestPath(request) });
}

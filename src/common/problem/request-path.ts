import type { FastifyRequest } from 'fastify';

/**
 * The path a problem's `instance` names: never the query string, which may carry a credential
 * (`?access_token=`) or anything else a client would not want echoed and logged.
 */
export function requestPath(request: Pick<FastifyRequest, 'url'>): string {
  const url = request.url ?? '/';
  const end = url.search(/[?#]/);
  return (end < 0 ? url : url.slice(0, end)).slice(0, 2048);
}

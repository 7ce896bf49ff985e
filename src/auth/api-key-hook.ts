import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '../common/problem/problem.exception.js';
import { isAllowed, type ApiKeys, type ApiPrincipal } from './api-keys.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: ApiPrincipal;
  }
}

const PUBLIC_PREFIXES = ['/health/', '/docs', '/dashboard'];

function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim();
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header;
  // EventSource cannot send headers: a GET may carry the key as ?access_token=.
  if (request.method === 'GET') {
    const token = (request.query as Record<string, unknown> | undefined)?.access_token;
    if (typeof token === 'string') {
      delete (request.query as Record<string, unknown>).access_token; // not a parameter of any route
      return token;
    }
  }
  return undefined;
}

/**
 * With API_KEYS set, every route except health, the API docs and the dashboard's static files needs a
 * key, and /admin/* (dead letters, Bull Board) needs the admin role. A Fastify hook, so plugins mounted
 * outside Nest's router are covered too.
 */
export function installApiKeyAuth(fastify: FastifyInstance, keys: ApiKeys): void {
  if (!keys.enabled) return;
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (PUBLIC_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix))) return;
    const key = presentedKey(request);
    const principal = key ? keys.authenticate(key) : null;
    if (!principal) {
      void reply.header('WWW-Authenticate', 'Bearer realm="longhaul"');
      return refuse(reply, path, new ProblemException(401, 'unauthorized', 'API key required', 'send Authorization: Bearer <key> or X-API-Key'));
    }
    if (!isAllowed(principal.role, request.method, path)) {
      return refuse(reply, path, new ProblemException(403, 'forbidden', 'Not allowed for this key', `role ${principal.role} may not ${request.method} ${path}`));
    }
    request.principal = principal;
  });
}

function refuse(reply: FastifyReply, path: string, problem: ProblemException): FastifyReply {
  return reply
    .status(problem.getStatus())
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ ...problem.problem, instance: path });
}

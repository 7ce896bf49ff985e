import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { ProblemException } from '../common/problem/problem.exception.js';

/** Health probes come from the platform, often from one address: never limited. Matched on the route's pattern. */
const UNLIMITED_ROUTES = new Set(['/health/live', '/health/ready']);

/**
 * API_RATE_LIMIT_PER_MINUTE per API key (per client address without one), @fastify/rate-limit's
 * fixed window. With REDIS_URL the counters live in Redis, so the limit holds across nodes; if Redis
 * is unreachable requests pass rather than fail. Refusals are 429 problems with Retry-After and the
 * RateLimit-* headers. Registered after authentication, whose hook names the key.
 */
export async function installRateLimit(fastify: FastifyInstance, config: AppConfig): Promise<void> {
  const perMinute = config.http.rateLimitPerMinute;
  if (perMinute === 0) return;
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { connectTimeout: 1000, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false, enableAutoPipelining: true })
    : undefined;
  redis?.on('error', () => undefined); // skipOnError lets requests through; the progress tracker logs Redis outages
  if (redis) fastify.addHook('onClose', async () => void (await redis.quit().catch(() => undefined)));
  await fastify.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    hook: 'onRequest',
    redis,
    nameSpace: `${config.webhooks.queuePrefix}:rate-limit:`,
    skipOnError: true,
    enableDraftSpec: true,
    keyGenerator: (request: FastifyRequest) =>
      config.apiKeys.enabled && request.principal ? `key:${request.principal.name}` : `address:${request.ip}`,
    allowList: (request: FastifyRequest) => UNLIMITED_ROUTES.has(request.routeOptions.url ?? ''),
    errorResponseBuilder: (_request, context) =>
      new ProblemException(429, 'rate-limited', 'Too many requests', `at most ${context.max} requests a minute; retry in ${Math.ceil(context.ttl / 1000)} s`),
  });
}

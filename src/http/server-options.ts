import type { Server } from 'node:http';
import type { FastifyHttpOptions } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { problemClientErrorHandler } from './client-errors.js';
import { frameworkErrors } from './framework-errors.js';

/** Path parameters longer than this are refused with 414 (ids are 36 characters). */
const MAX_PARAM_LENGTH = 200;

/** Fastify's server options: time limits on every phase of a request, and problem+json for the parser's refusals. */
export function serverOptions(config: AppConfig): FastifyHttpOptions<Server> {
  const http = config.http;
  return {
    bodyLimit: config.bodyLimitBytes,
    trustProxy: http.trustProxy,
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    connectionTimeout: http.idleTimeoutMs,
    maxParamLength: MAX_PARAM_LENGTH,
    return503OnClosing: true,
    clientErrorHandler: problemClientErrorHandler,
    frameworkErrors,
    http: {
      headersTimeout: http.headersTimeoutMs,
      // How often Node looks for requests past their time limits (its default is 30 s).
      connectionsCheckingInterval: Math.min(1000, http.headersTimeoutMs),
    },
  };
}

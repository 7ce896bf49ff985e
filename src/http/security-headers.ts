import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** Scripts, styles and connections only from this origin, no inline script, no framing. The dashboard is built for it. */
const OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      // blob: the dashboard shows result images it fetched with the API key (an <img src> cannot send one).
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
    },
  },
  crossOriginEmbedderPolicy: false,
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false, // set by the TLS-terminating proxy, which knows whether HTTPS is in use
};

/** What helmet sets for these options: the same on every answer, so it is worked out once. */
export function securityHeaders(options: Readonly<HelmetOptions> = OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  } as unknown as ServerResponse;
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder, (error?: unknown) => (failure = error));
  if (failure) throw failure instanceof Error ? failure : new Error('helmet refused its options');
  return headers;
}

/**
 * API answers are JSON for programs, not pages: what matters there is that a browser never sniffs
 * or frames them (OWASP's REST headers). Three headers instead of helmet's twelve on the hot path.
 */
const API_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

/**
 * Security headers on every answer: helmet's full set with the strict Content-Security-Policy on the
 * pages a browser renders (the dashboard, Swagger UI: the public routes), the API set elsewhere.
 * @fastify/helmet would rebuild helmet's middleware on every request (a cost measurable on
 * POST /jobs); the headers are static, so they are computed at boot and set in one call.
 */
export function installSecurityHeaders(fastify: FastifyInstance): void {
  const pages = securityHeaders();
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    void reply.headers(request.routeOptions.config?.access === 'public' ? pages : API_HEADERS);
    done();
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import { DEFAULT_TENANT } from '../common/tenant.js';
import type { ApiKeys, ApiPrincipal } from './api-keys.js';
import type { PublicRouteConfig } from './access.decorator.js';
import type { ManagedKeyLookup } from './managed-key-lookup.js';
import { AuthProblems, refuse } from './auth-problems.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'public': anyone may call the route (see Public()). */
    access?: PublicRouteConfig['access'];
  }
  interface FastifyRequest {
    /** The authenticated key; with authentication off, the anonymous admin of the default tenant. */
    principal?: ApiPrincipal;
  }
}

/** With API_KEYS unset everyone is this caller: one tenant, every role. */
export const ANONYMOUS: ApiPrincipal = Object.freeze({ name: 'anonymous', role: 'admin', tenant: DEFAULT_TENANT });

/**
 * Routes registered by libraries rather than Nest controllers that anyone may read: the API
 * document and Swagger UI, and the dashboard's trailing-slash redirect. Matched against the route's
 * own pattern when it is registered, never against a request's URL.
 */
function isPublicLibraryRoute(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/') || url === '/docs-json' || url === '/docs-yaml' || url === '/asyncapi.json' || url === '/dashboard/';
}

function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const bearer = /^Bearer +(\S+) *$/i.exec(authorization);
    return bearer?.[1] ?? '';
  }
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header;
  const query = request.query as Record<string, unknown> | undefined;
  const token = query?.access_token;
  if (token === undefined) return undefined;
  delete query!.access_token; // a credential, not a parameter of any route
  // EventSource cannot send headers: a GET may carry the key in the URL; nothing else may.
  return request.method === 'GET' && typeof token === 'string' ? token : '';
}

/**
 * Authentication, decided on the route the router matched: a Fastify hook, so it runs before the
 * body is read and covers routes mounted outside Nest's router too. A route is public only if it
 * says so (`@Public()` on a handler, or a library route above); every other matched route needs a
 * valid key. Roles are checked afterwards by RolesGuard (Nest routes) or the mount's own hook.
 */
export function installAuthentication(fastify: FastifyInstance, keys: ApiKeys, managed: ManagedKeyLookup | null = null): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (isPublicLibraryRoute(route.url)) route.config = { ...route.config, access: 'public' };
  });
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!keys.enabled) {
      request.principal = ANONYMOUS;
      return done();
    }
    const presented = presentedKey(request);
    if (presented !== undefined) {
      const principal = keys.authenticate(presented);
      if (principal) {
        request.principal = principal;
        return done();
      }
      if (!managed || presented === '') return refuse(reply, AuthProblems.keyUnknown());
      managed.authenticate(presented).then(
        (found) => {
          if (!found) return void refuse(reply, AuthProblems.keyUnknown());
          request.principal = found;
          done();
        },
        (error: unknown) => done(error as Error),
      );
      return;
    }
    // No route matched: the 404 answers. A public route needs no key.
    if (request.routeOptions.url === undefined || request.routeOptions.config?.access === 'public') return done();
    return refuse(reply, AuthProblems.keyRequired());
  });
}

/** The role check for a plugin mounted outside Nest's router: added in the plugin's own scope, it runs only on the routes matched there. */
export function requireRoles(roles: readonly ApiPrincipal['role'][]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const principal = request.principal;
    if (!principal) return refuse(reply, AuthProblems.keyRequired());
    if (!roles.includes(principal.role)) return refuse(reply, AuthProblems.roleRefused(principal.role));
    return undefined;
  };
}

import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { DescribedProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { API_ROLES, type ApiRole } from './api-keys.js';

export const ACCESS_METADATA = 'longhaul:access';
/** OpenAPI security scheme names (see contract/openapi/document-info.ts). */
export const BEARER_SCHEME = 'bearer';
export const API_KEY_SCHEME = 'api-key';

export type Access = { readonly public: true } | { readonly public: false; readonly roles: readonly ApiRole[] };

/** Fastify route config of routes anyone may call; read by the authentication hook before the body is parsed. */
export interface PublicRouteConfig {
  access?: 'public';
}

const AUTH_DESCRIPTIONS: Record<number, string> = {
  401: 'No API key, or an unknown one (`WWW-Authenticate: Bearer`)',
  403: 'The key’s role may not call this operation',
  429: 'Too many requests from this key (`Retry-After`, `RateLimit-*` headers)',
};

/**
 * The roles that may call a controller or handler (a handler's own rule wins). Every route needs a
 * rule: RolesGuard refuses routes that declare none. Also documents the security schemes and the
 * 401/403/429 answers in the OpenAPI document.
 */
export function Roles(...roles: ApiRole[]) {
  const statuses = roles.length < API_ROLES.length ? [401, 403, 429] : [401, 429];
  return applyDecorators(
    SetMetadata(ACCESS_METADATA, { public: false, roles } satisfies Access),
    ApiBearerAuth(BEARER_SCHEME),
    ApiSecurity(API_KEY_SCHEME),
    DescribedProblemResponses(AUTH_DESCRIPTIONS, ...statuses),
  );
}

/** A handler anyone may call without a key (health, the dashboard's files). Handlers only: Fastify reads it per route. */
export function Public(): MethodDecorator {
  return applyDecorators(SetMetadata(ACCESS_METADATA, { public: true } satisfies Access), RouteConfig({ access: 'public' } satisfies PublicRouteConfig));
}

/** Any key may read. */
export const AnyRole = () => Roles('admin', 'submitter', 'reader');
/** Keys that may create and change things (readers may not). */
export const Writers = () => Roles('admin', 'submitter');
/** Operators only. */
export const AdminOnly = () => Roles('admin');

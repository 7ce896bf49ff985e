import { problemResponse } from '../../common/problem/problem-responses.decorator.js';
import { operationsOf } from './schema-walk.js';

export interface OperationFacts {
  method: string;
  path: string;
  operationId: string;
  /** The operation names security requirements (an API key is needed). */
  secured: boolean;
}

/** Statuses that whole classes of operations can answer, whatever their handler does. */
export interface ResponseRule {
  statuses: readonly number[];
  appliesTo(operation: OperationFacts): boolean;
}

const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);
/** Operations that never touch the database (the health check answers its own 503). */
const WITHOUT_DATABASE = new Set(['getLiveness', 'getReadiness']);

/**
 * The one place to document a status for a class of operations. Fastify parses a JSON body on every
 * route of a body method (400 malformed, 413 too large, 415 not JSON); any route may fail unexpectedly
 * (500); every route that reads the database answers 503 while it is unreachable. A path parameter
 * with bad percent-encoding or text PostgreSQL cannot store is a 400 before any handler runs, and a
 * request line longer than the server's limit is a 414 on any route.
 */
export const STANDARD_RESPONSES: readonly ResponseRule[] = [
  { statuses: [400, 413, 415], appliesTo: ({ method }) => BODY_METHODS.has(method) },
  { statuses: [400], appliesTo: ({ path }) => path.includes('{') },
  { statuses: [414], appliesTo: () => true },
  { statuses: [500], appliesTo: () => true },
  { statuses: [503], appliesTo: ({ operationId }) => !WITHOUT_DATABASE.has(operationId) },
];

/** Adds the rules' problem answers where an operation does not document the status itself; sorts responses by status. */
export function withStandardResponses<T extends object>(document: T, rules: readonly ResponseRule[] = STANDARD_RESPONSES): T {
  for (const { path, method, operation } of operationsOf((document as { paths?: Record<string, unknown> }).paths)) {
    const responses = (operation.responses ?? {}) as Record<string, unknown>;
    const security = operation.security as unknown[] | undefined;
    const facts = { path, method, operationId: String(operation.operationId), secured: Array.isArray(security) && security.length > 0 };
    for (const rule of rules) {
      if (!rule.appliesTo(facts)) continue;
      for (const status of rule.statuses) responses[String(status)] ??= problemResponse(status);
    }
    operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  }
  return document;
}

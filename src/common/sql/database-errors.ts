/**
 * What a database error means for the caller, read from its SQLSTATE (or the driver's network code):
 * - `unavailable`: the database cannot be reached right now (down, restarting, overloaded, a network
 *   fault, a timeout) — retry later; HTTP answers 503.
 * - `rejected-data`: the statement was fine but PostgreSQL refuses this data (a byte it cannot store,
 *   a value out of range, a constraint, a value too big to index) — retrying cannot help.
 * - `other`: anything else (usually a bug).
 */
export type DatabaseErrorKind = 'unavailable' | 'rejected-data' | 'other';

const UNAVAILABLE_CLASSES = ['08', '53', '57', '58'];
const SERIALIZATION_CODES = ['40001', '40P01'];
const REJECTED_DATA_CLASSES = ['22', '23', '54'];
const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTCONN', 'EAI_AGAIN'];
const UNAVAILABLE_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /query read timeout/i,
  /connection (?:is )?closed/i,
  /Client has encountered a connection error/i,
  /terminating connection/i,
  /the database system is (?:starting up|shutting down|in recovery mode)/i,
];

interface WithCode {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

function sqlState(error: unknown): string | undefined {
  for (let current = error as WithCode | undefined, depth = 0; current && depth < 4; depth += 1) {
    if (typeof current.code === 'string') return current.code;
    current = (current.driverError ?? current.cause) as WithCode | undefined;
  }
  return undefined;
}

export function classifyDatabaseError(error: unknown): DatabaseErrorKind {
  const code = sqlState(error);
  if (code) {
    if (NETWORK_CODES.includes(code) || SERIALIZATION_CODES.includes(code)) return 'unavailable';
    if (/^[0-9A-Z]{5}$/.test(code)) {
      const sqlClass = code.slice(0, 2);
      if (UNAVAILABLE_CLASSES.includes(sqlClass)) return 'unavailable';
      if (REJECTED_DATA_CLASSES.includes(sqlClass)) return 'rejected-data';
    }
  }
  const raw = (error as WithCode | undefined)?.message;
  const message = typeof raw === 'string' ? raw : '';
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message)) ? 'unavailable' : 'other';
}

export const isDatabaseUnavailable = (error: unknown): boolean => classifyDatabaseError(error) === 'unavailable';

import { createHmac, randomBytes } from 'node:crypto';

/**
 * The signature scheme (Standard Webhooks v1 plus the seed's X-Signature), in plain functions.
 *
 * - Secrets look like `whsec_<base64 of 32 random bytes>`; the HMAC key of the Standard Webhooks
 *   signature is the base64-decoded part (what the `standardwebhooks` package does).
 * - `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`; during a rotation
 *   one entry per live secret, space-separated, newest first.
 * - `X-Signature: sha256=<hex HMAC-SHA256(secret, body)>` where the key is the whole secret string
 *   as UTF-8 (what a receiver written against the seed does); also one entry per live secret.
 */
export const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
const SECRET_PATTERN = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

export function generateSecret(bytes: () => Buffer = () => randomBytes(SECRET_BYTES)): string {
  return SECRET_PREFIX + bytes().toString('base64');
}

/** A client-supplied secret: whsec_ + base64 of 24 to 64 bytes. */
export function isValidSecret(secret: string): boolean {
  const match = SECRET_PATTERN.exec(secret);
  if (!match?.[1] || match[1].length % 4 !== 0) return false;
  const length = Buffer.from(match[1], 'base64').length;
  return length >= 24 && length <= 64;
}

export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

export function standardSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
}

export function bodySignatureHex(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'x-signature': string;
}

/** Headers for one attempt. `secrets` are the live secrets, newest first; at least one is required. */
export function signatureHeaders(id: string, timestampSeconds: number, body: string, secrets: readonly string[]): SignedHeaders {
  if (secrets.length === 0) throw new Error('no signing secret');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((secret) => `v1,${standardSignature(secret, id, timestampSeconds, body)}`).join(' '),
    'x-signature': secrets.map((secret) => `sha256=${bodySignatureHex(secret, body)}`).join(' '),
  };
}

/** The secrets that sign right now: the current one, plus the previous one until its overlap ends. */
export function liveSecrets(current: string, previous: string | null, previousExpiresAt: Date | null, now: Date = new Date()): string[] {
  return previous && previousExpiresAt && previousExpiresAt.getTime() > now.getTime() ? [current, previous] : [current];
}

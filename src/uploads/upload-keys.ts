import { randomUUID } from 'node:crypto';

/** Upload ids in URLs are UUIDs; anything else is not an upload of ours (404 before any store is asked). */
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function newUploadId(): string {
  return randomUUID();
}

export function isUploadId(value: string): boolean {
  return UPLOAD_ID.test(value);
}

/**
 * Where an upload lives in the store: under its tenant. The tenant comes from the caller's key, never
 * from the URL, so another tenant's upload id names a key that does not exist: a 404, not a 403.
 * Flat (no directory per tenant): the file store's expiry only lists its top directory. The id is
 * always a 36-character UUID, so the key names exactly one (tenant, id).
 */
export function uploadKey(base: string, tenant: string, uploadId: string): string {
  return `${base}${tenant}_${uploadId}`;
}

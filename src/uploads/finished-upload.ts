import type { DataStore, Upload } from '@tus/utils';

/** A tus store's "no such upload" (its errors carry an HTTP status). */
export function isUploadNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status_code?: number }).status_code === 404;
}

/** The upload under `key` when it exists and all its bytes have arrived; else null. */
export async function finishedUpload(store: DataStore, key: string): Promise<(Upload & { size: number }) | null> {
  const upload = await store.getUpload(key).catch((error: unknown) => {
    if (isUploadNotFound(error)) return null;
    throw error;
  });
  if (!upload || upload.size === undefined || upload.offset !== upload.size) return null;
  return upload as Upload & { size: number };
}

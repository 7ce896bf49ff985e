import type { Readable } from 'node:stream';

/** A finished upload, as a job reads it. */
export interface UploadedFile {
  readonly sizeBytes: number;
  /** The bytes, from the start. */
  read(): Promise<Readable>;
  /** A file this process may read in place (the filesystem store), else null: then read() a copy. */
  readonly localPath: string | null;
}

/** Reading uploads by the tenant that owns them (the video job's port onto src/uploads). */
export abstract class UploadFiles {
  /** The upload, or null when this tenant has no such upload or it is not finished yet. */
  abstract find(tenant: string, uploadId: string): Promise<UploadedFile | null>;
}

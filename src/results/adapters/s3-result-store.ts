import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Settings } from '../../config/app-config.js';
import { ResultStore, ownerPath, type ResultOwner, type ResultRef, type ResultToStore, type StagedResult, type StoredResult } from '../result-store.port.js';
import { ByteCounter } from './byte-counter.js';

/** Multipart upload: at most PART_SIZE × (QUEUE_SIZE + 1) bytes of a result are in memory at once. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

/**
 * Results as objects `${S3_PREFIX}${jobId}/${attempt}`, streamed up in parts and streamed back down.
 * Each attempt writes its own key, so a stale attempt never overwrites the object the job points at;
 * the completing transaction only stores the ref (written by JobsRepository.complete), and a refused
 * completion deletes the attempt's object.
 */
export class S3ResultStore extends ResultStore implements OnApplicationShutdown {
  private readonly logger = new Logger(S3ResultStore.name);

  constructor(
    private readonly client: S3Client,
    private readonly settings: S3Settings,
  ) {
    super();
  }

  async stage(owner: ResultOwner, result: ResultToStore): Promise<StagedResult> {
    const key = this.keyOf(owner);
    const counter = new ByteCounter();
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.settings.bucket, Key: key, Body: counter, ContentType: result.contentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
    });
    const source = Buffer.isBuffer(result.body) ? Readable.from([result.body]) : result.body;
    const uploaded = upload.done().catch((error: unknown) => {
      counter.destroy(error as Error); // unblocks (and fails) the pipeline feeding it
      throw error;
    });
    await Promise.all([pipeline(source, counter), uploaded]);
    const ref: ResultRef = { store: 's3', contentType: result.contentType, sizeBytes: counter.bytes, location: key, attempt: owner.attempt };
    return {
      ref,
      commit: () => Promise.resolve(),
      // A leftover is not fatal: remove() deletes every object of the job.
      discard: () => this.deleteKey(key).catch(() => undefined),
    };
  }

  async open(jobId: string, ref: ResultRef): Promise<StoredResult | null> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.locationOf(jobId, ref) }));
      if (!(answer.Body instanceof Readable)) throw new Error('S3 GetObject answered without a stream body');
      return { contentType: ref.contentType, sizeBytes: answer.ContentLength ?? ref.sizeBytes, stream: answer.Body };
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw error;
    }
  }

  /** Deletes every object of the job: the result and whatever a stale attempt may have left. */
  async remove(jobId: string): Promise<void> {
    const listed = await this.client.send(new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: `${this.settings.prefix}${jobId}/` }));
    const keys = (listed.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
    await Promise.all(keys.map((key) => this.deleteKey(key)));
  }

  /** A GET URL of the object, signed for `ttlSeconds`: the client fetches it from S3 itself. */
  presign(jobId: string, ref: ResultRef, ttlSeconds: number): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.locationOf(jobId, ref) });
    return getSignedUrl(this.client, command, { expiresIn: ttlSeconds });
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }

  private keyOf(owner: ResultOwner): string {
    return `${this.settings.prefix}${ownerPath(owner)}`;
  }

  private locationOf(jobId: string, ref: ResultRef): string {
    return ref.location ?? this.keyOf({ jobId, attempt: ref.attempt ?? 1 });
  }

  private async deleteKey(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
    } catch (error) {
      this.logger.warn({ msg: 'could not delete a result object', bucket: this.settings.bucket, key, error: String(error) });
      throw error;
    }
  }
}

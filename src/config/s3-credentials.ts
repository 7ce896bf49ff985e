import { inspect } from 'node:util';

/**
 * An access key pair whose secret stays out of logs: it lives in a private field, so neither
 * JSON.stringify nor util.inspect (what loggers use) ever prints it; only the S3 client reads it.
 */
export class S3Credentials {
  readonly #secretAccessKey: string;

  constructor(
    readonly accessKeyId: string,
    secretAccessKey: string,
  ) {
    this.#secretAccessKey = secretAccessKey;
  }

  get secretAccessKey(): string {
    return this.#secretAccessKey;
  }

  toJSON(): { accessKeyId: string; secretAccessKey: string } {
    return { accessKeyId: this.accessKeyId, secretAccessKey: '[redacted]' };
  }

  [inspect.custom](): string {
    return `S3Credentials { accessKeyId: '${this.accessKeyId}', secretAccessKey: [redacted] }`;
  }
}

import { S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '../../config/app-config.js';

/** One S3 client per process, from S3_* (explicit keys, or the SDK's default credential chain). */
export function createS3Client(settings: S3Settings): S3Client {
  const credentials = settings.credentials;
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials: credentials ? { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey } : undefined,
  });
}

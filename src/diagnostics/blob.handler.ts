import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { JobHandlerFor } from '../workers/job-handler.decorator.js';
import type { JobContext, JobHandler, JobOutput } from '../workers/job-handler.js';
import { blobChunks } from './blob-bytes.js';
import { BlobPayloadDto } from './blob-payload.dto.js';

/** A diagnostic job whose result is a generated stream of `sizeBytes` bytes: exercises large results end to end. */
@Injectable()
@JobHandlerFor({
  type: 'blob',
  payload: BlobPayloadDto,
  result: { otherContentTypes: ['application/octet-stream'] },
  description: 'Diagnostic: streams a generated result of sizeBytes bytes',
})
export class BlobHandler implements JobHandler<BlobPayloadDto> {
  handle(payload: BlobPayloadDto, context: JobContext): Promise<JobOutput> {
    const body = Readable.from(blobChunks(payload.sizeBytes), { objectMode: false, signal: context.signal });
    return Promise.resolve({ kind: 'body', contentType: 'application/octet-stream', body });
  }
}

import { Busboy, type BusboyFileStream, type BusboyInstance } from '@fastify/busboy';
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { ProblemException, Problems } from '../common/problem/problem.exception.js';

/** The form field that carries the file. */
export const FORM_FILE_FIELD = 'file';

export interface ReceivedFile {
  sizeBytes: number;
  filename: string;
  contentType: string;
}

const tooLarge = (maxBytes: number) =>
  new ProblemException(413, 'upload-too-large', 'Upload too large', `a form upload may have at most ${maxBytes} bytes; use tus (/uploads) for larger files`);

const malformed = (message: string) => Problems.validation([{ field: 'body', message }]);

/**
 * Streams the `file` part of a multipart/form-data request to `path`, never more than `maxBytes`
 * (413: the part is cut off there). Other parts are skipped; a body without a non-empty `file` part
 * is a 400, one that is not multipart a 415. Settles in every case — a client that goes away or a
 * socket timeout rejects it and closes the file — so the caller can always clean up.
 */
export function receiveFormFile(request: IncomingMessage, path: string, maxBytes: number): Promise<ReceivedFile> {
  return new Promise((resolve, reject) => {
    if (!/^multipart\/form-data\s*;/i.test(request.headers['content-type'] ?? '')) {
      reject(new ProblemException(415, 'unsupported-media-type', 'Unsupported media type', 'send the file as multipart/form-data (with a boundary)'));
      return;
    }
    let parser: BusboyInstance;
    try {
      parser = Busboy({ headers: request.headers as { 'content-type': string }, limits: { files: 10, fileSize: maxBytes, fields: 20, parts: 40 } });
    } catch (error) {
      reject(malformed(`not a multipart/form-data body: ${(error as Error).message}`));
      return;
    }
    let part: BusboyFileStream | null = null;
    let received: Promise<ReceivedFile> | null = null;
    parser.on('file', (field, stream, filename, _encoding, contentType) => {
      if (field !== FORM_FILE_FIELD || received) {
        stream.resume();
        return;
      }
      part = stream;
      received = pipeline(stream, createWriteStream(path)).then(() => {
        if (stream.truncated) throw tooLarge(maxBytes);
        return { sizeBytes: stream.bytesRead, filename, contentType };
      });
      received.catch(() => undefined); // awaited at 'finish'; this only keeps an early failure from being unhandled
    });
    parser.on('finish', () => {
      if (!received) {
        reject(Problems.validation([{ field: FORM_FILE_FIELD, message: `a file part named "${FORM_FILE_FIELD}" is required` }]));
        return;
      }
      received
        .then((file) => {
          if (file.sizeBytes === 0) throw Problems.validation([{ field: FORM_FILE_FIELD, message: 'the file is empty' }]);
          return file;
        })
        .then(resolve, reject);
    });
    // pipeline, not pipe: a request that is aborted (client gone, socket timeout) fails the parser too.
    pipeline(request, parser).catch((error: Error) => {
      part?.destroy(error); // closes the file being written
      reject(request.destroyed && !request.complete ? malformed('the request ended before its body did') : malformed(`malformed multipart/form-data: ${error.message}`));
    });
  });
}

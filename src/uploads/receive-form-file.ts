import { Busboy, type BusboyInstance } from '@fastify/busboy';
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

/**
 * Streams the `file` part of a multipart/form-data request to `path`, never more than `maxBytes`
 * (413: the part is cut off there and the rest of the body is drained). Other parts are skipped; a
 * body without a non-empty `file` part, or one that is not multipart, is a 400.
 */
export function receiveFormFile(request: IncomingMessage, path: string, maxBytes: number): Promise<ReceivedFile> {
  return new Promise((resolve, reject) => {
    if (!/^multipart\/form-data\s*;/i.test(request.headers['content-type'] ?? '')) {
      reject(new ProblemException(415, 'unsupported-media-type', 'Unsupported media type', 'send the file as multipart/form-data (with a boundary)'));
      return;
    }
    let parser: BusboyInstance;
    try {
      parser = Busboy({ headers: request.headers as { 'content-type': string }, limits: { files: 1, fileSize: maxBytes, fields: 20, parts: 40 } });
    } catch (error) {
      reject(Problems.validation([{ field: 'body', message: `not a multipart/form-data body: ${(error as Error).message}` }]));
      return;
    }
    let received: Promise<ReceivedFile> | null = null;
    parser.on('file', (field, stream, filename, _encoding, contentType) => {
      if (field !== FORM_FILE_FIELD || received) {
        stream.resume();
        return;
      }
      received = pipeline(stream, createWriteStream(path)).then(() => {
        if (stream.truncated) throw tooLarge(maxBytes);
        return { sizeBytes: stream.bytesRead, filename, contentType };
      });
      received.catch(() => undefined); // awaited at 'finish'; this only keeps an early failure from being unhandled
    });
    parser.on('error', (error: Error) => reject(Problems.validation([{ field: 'body', message: `malformed multipart/form-data: ${error.message}` }])));
    parser.on('finish', () => {
      if (!received) {
        reject(Problems.validation([{ field: FORM_FILE_FIELD, message: `a file part named "${FORM_FILE_FIELD}" is required` }]));
        return;
      }
      received.then((file) => {
        if (file.sizeBytes === 0) throw Problems.validation([{ field: FORM_FILE_FIELD, message: 'the file is empty' }]);
        return file;
      }).then(resolve, reject);
    });
    request.pipe(parser);
  });
}

import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ProblemException } from '../common/problem/problem.exception.js';
import { FORM_UPLOAD_PATH, FormUploadController } from './form-upload.controller.js';
import { FinishedUploadRetention } from './finished-upload-retention.js';
import { FormUploads } from './form-uploads.js';
import { TUS_DATASTORE_PROVIDER, UPLOAD_KEY_BASE_PROVIDER } from './tus-datastore.provider.js';
import { TusEndpoint } from './tus-endpoint.js';
import { UploadExpiry } from './upload-expiry.js';
import { UploadFiles } from './upload-files.port.js';
import { StoredUploadFiles } from './stored-upload-files.js';
import { UploadsController } from './uploads.controller.js';

/** The tus PATCH body: left unread for @tus/server, which streams it to the store. */
const TUS_CHUNK = 'application/offset+octet-stream';
/** A form upload's body: left unread for the route that streams it to a file; 415 anywhere else. */
const FORM = 'multipart/form-data';

/**
 * Resumable uploads (tus 1.0) at /uploads and small ones in one form post at /uploads/form, per tenant;
 * jobs read finished uploads through UploadFiles.
 */
@Module({
  controllers: [FormUploadController, UploadsController],
  providers: [TUS_DATASTORE_PROVIDER, UPLOAD_KEY_BASE_PROVIDER, TusEndpoint, FormUploads, UploadExpiry, FinishedUploadRetention, { provide: UploadFiles, useClass: StoredUploadFiles }],
  exports: [UploadFiles],
})
export class UploadsModule implements OnModuleInit {
  constructor(private readonly http: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.http.httpAdapter.getInstance<FastifyInstance>();
    if (!fastify.hasContentTypeParser(TUS_CHUNK)) fastify.addContentTypeParser(TUS_CHUNK, (_request, _payload, done) => done(null));
    if (!fastify.hasContentTypeParser(FORM)) {
      fastify.addContentTypeParser(FORM, (request, _payload, done) =>
        request.routeOptions.url === FORM_UPLOAD_PATH ? done(null) : done(new ProblemException(415, 'unsupported-media-type', 'Unsupported media type', 'this route takes application/json'), undefined),
      );
    }
  }
}

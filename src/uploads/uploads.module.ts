import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { TUS_DATASTORE_PROVIDER, UPLOAD_KEY_BASE_PROVIDER } from './tus-datastore.provider.js';
import { TusEndpoint } from './tus-endpoint.js';
import { UploadExpiry } from './upload-expiry.js';
import { UploadFiles } from './upload-files.port.js';
import { StoredUploadFiles } from './stored-upload-files.js';
import { UploadsController } from './uploads.controller.js';

/** The tus PATCH body: left unread for @tus/server, which streams it to the store. */
const TUS_CHUNK = 'application/offset+octet-stream';

/** Resumable uploads (tus 1.0) at /uploads, per tenant; jobs read finished uploads through UploadFiles. */
@Module({
  controllers: [UploadsController],
  providers: [TUS_DATASTORE_PROVIDER, UPLOAD_KEY_BASE_PROVIDER, TusEndpoint, UploadExpiry, { provide: UploadFiles, useClass: StoredUploadFiles }],
  exports: [UploadFiles],
})
export class UploadsModule implements OnModuleInit {
  constructor(private readonly http: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.http.httpAdapter.getInstance<FastifyInstance>();
    if (!fastify.hasContentTypeParser(TUS_CHUNK)) fastify.addContentTypeParser(TUS_CHUNK, (_request, _payload, done) => done(null));
  }
}

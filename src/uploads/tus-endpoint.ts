import { Inject, Injectable } from '@nestjs/common';
import { Server } from '@tus/server';
import { DataStore } from '@tus/utils';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '../config/app-config.js';
import { UPLOAD_KEY_BASE } from './tus-datastore.provider.js';
import { isUploadId, newUploadId, uploadKey } from './upload-keys.js';

export const UPLOADS_PATH = '/uploads';

/** What @tus/server hands its hooks: a web Request that still knows the Node request it wraps. */
interface WrappedRequest {
  runtime?: { node?: { req?: IncomingMessage } };
}

/**
 * The tus 1.0 server (creation, creation-with-upload, termination, expiration; size limit
 * UPLOAD_MAX_BYTES). Every store key carries the caller's tenant, taken from the authenticated key
 * of the Node request being handled, so an upload id only ever resolves within its own tenant.
 */
@Injectable()
export class TusEndpoint {
  private readonly tenants = new WeakMap<IncomingMessage, string>();
  private readonly server: Server;

  constructor(config: AppConfig, datastore: DataStore, @Inject(UPLOAD_KEY_BASE) private readonly keyBase: string) {
    this.server = new Server({
      path: UPLOADS_PATH,
      datastore,
      maxSize: config.uploads.maxBytes,
      namingFunction: (request) => uploadKey(this.keyBase, this.tenantOf(request), newUploadId()),
      generateUrl: (_request, { path, id }) => `${path}/${id.slice(-36)}`,
      getFileIdFromRequest: (request, lastPath) =>
        lastPath !== undefined && isUploadId(lastPath) ? uploadKey(this.keyBase, this.tenantOf(request), lastPath) : undefined,
    });
  }

  /** Answers one tus request of `tenant` on the raw Node request and response. */
  async handle(tenant: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.tenants.set(request, tenant);
    await this.server.handle(request, response);
  }

  /** Deletes unfinished uploads older than UPLOAD_EXPIRY_SECONDS; returns how many. */
  cleanUpExpired(): Promise<number> {
    return this.server.cleanUpExpiredUploads();
  }

  private tenantOf(request: unknown): string {
    const node = (request as WrappedRequest).runtime?.node?.req;
    const tenant = node ? this.tenants.get(node) : undefined;
    // Unreachable through the controller, which always names the tenant first.
    if (tenant === undefined) throw new Error('a tus request arrived without its caller’s tenant');
    return tenant;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { Server } from '@tus/server';
import { DataStore } from '@tus/utils';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '../config/app-config.js';
import { UPLOAD_KEY_BASE } from './tus-datastore.provider.js';
import { CHECKSUM_ALGORITHMS, readCheckedChunk } from './tus-checksum.js';
import { isUploadId, newUploadId, uploadKey } from './upload-keys.js';

export const UPLOADS_PATH = '/uploads';

/** What @tus/server hands its hooks: a web Request that still knows the Node request it wraps. */
interface WrappedRequest {
  runtime?: { node?: { req?: IncomingMessage } };
}

/**
 * The tus 1.0 server (creation, creation-with-upload, termination, expiration, checksum; size limit
 * UPLOAD_MAX_BYTES). Every store key carries the caller's tenant, taken from the authenticated key
 * of the Node request being handled, so an upload id only ever resolves within its own tenant.
 * @tus/server has no checksum extension: a chunk with `Upload-Checksum` is read and checked here
 * first, and only a matching one is handed on (a mismatch is 460 and the store never sees it).
 */
@Injectable()
export class TusEndpoint {
  private readonly tenants = new WeakMap<IncomingMessage, string>();
  private readonly server: Server;
  private readonly maxChecksummedChunk: number;

  constructor(
    config: AppConfig,
    private readonly datastore: DataStore,
    @Inject(UPLOAD_KEY_BASE) private readonly keyBase: string,
  ) {
    this.maxChecksummedChunk = config.uploads.maxChecksummedChunkBytes;
    if (!datastore.extensions.includes('checksum')) datastore.extensions = [...datastore.extensions, 'checksum'];
    this.server = new Server({
      path: UPLOADS_PATH,
      datastore,
      maxSize: config.uploads.maxBytes,
      allowedHeaders: ['Upload-Checksum'],
      namingFunction: (request) => uploadKey(this.keyBase, this.tenantOf(request), newUploadId()),
      generateUrl: (_request, { path, id }) => `${path}/${id.slice(-36)}`,
      getFileIdFromRequest: (request, lastPath) =>
        lastPath !== undefined && isUploadId(lastPath) ? uploadKey(this.keyBase, this.tenantOf(request), lastPath) : undefined,
    });
  }

  /** Answers one tus request of `tenant` on the raw Node request and response. */
  async handle(tenant: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.tenants.set(request, tenant);
    if (request.method === 'OPTIONS') response.setHeader('Tus-Checksum-Algorithm', CHECKSUM_ALGORITHMS.join(','));
    const checksum = request.headers['upload-checksum'];
    if (typeof checksum === 'string' && (request.method === 'PATCH' || request.method === 'POST')) await this.handleChecked(request, response, checksum);
    else await this.server.handle(request, response);
  }

  /** Deletes unfinished uploads older than UPLOAD_EXPIRY_SECONDS; returns how many. */
  cleanUpExpired(): Promise<number> {
    return this.server.cleanUpExpiredUploads();
  }

  private async handleChecked(request: IncomingMessage, response: ServerResponse, checksum: string): Promise<void> {
    // Nothing is buffered for a PATCH tus would refuse anyway (unknown upload, wrong offset): tus answers it.
    if (request.method === 'PATCH' && !(await this.appendsAtOffset(request))) return this.server.handle(request, response);
    const chunk = await readCheckedChunk(request, checksum, this.maxChecksummedChunk);
    if (!chunk.ok) {
      response.writeHead(chunk.status, {
        'Tus-Resumable': '1.0.0',
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(chunk.message),
        ...(request.headers.origin ? { 'Access-Control-Allow-Origin': '*' } : {}),
        ...(chunk.status === 413 ? { Connection: 'close' } : {}),
      });
      response.end(chunk.message);
      return;
    }
    const checked = new Request(new URL(request.url ?? '/', 'http://uploads.invalid'), { method: request.method, headers: webHeaders(request), body: chunk.body });
    // What srvx gives tus for a Node request: the hooks find the caller's tenant through it.
    Object.assign(checked, { runtime: { node: { req: request, res: response } } });
    const answer = await this.server.handleWeb(checked);
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  }

  /** The PATCH names an existing upload of the caller's tenant, at its current offset. */
  private async appendsAtOffset(request: IncomingMessage): Promise<boolean> {
    const id = new URL(request.url ?? '/', 'http://uploads.invalid').pathname.split('/').pop() ?? '';
    if (!isUploadId(id)) return false;
    const upload = await this.datastore.getUpload(uploadKey(this.keyBase, this.tenants.get(request) ?? '', id)).catch(() => null);
    return upload !== null && String(upload.offset) === request.headers['upload-offset'];
  }

  private tenantOf(request: unknown): string {
    const node = (request as WrappedRequest).runtime?.node?.req;
    const tenant = node ? this.tenants.get(node) : undefined;
    // Unreachable through the controller, which always names the tenant first.
    if (tenant === undefined) throw new Error('a tus request arrived without its caller’s tenant');
    return tenant;
  }
}

function webHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'transfer-encoding' || name === 'connection') continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiPrincipal } from '../auth/api-keys.js';
import { Writers } from '../auth/access.decorator.js';
import { Caller } from '../auth/caller.decorator.js';
import { TusEndpoint } from './tus-endpoint.js';

/**
 * tus 1.0 at /uploads (POST to create, HEAD for the offset, PATCH to append, DELETE to abandon).
 * Authenticated and authorised like every route; then the raw request is handed to @tus/server.
 * Not in the OpenAPI document: tus is its own protocol (see the README), spoken by tus clients.
 */
@ApiExcludeController()
@Writers()
@Controller('uploads')
export class UploadsController {
  constructor(private readonly tus: TusEndpoint) {}

  @All()
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Caller() caller: ApiPrincipal): Promise<void> {
    await this.pass(request, reply, caller);
  }

  @All(':id')
  async upload(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Caller() caller: ApiPrincipal): Promise<void> {
    await this.pass(request, reply, caller);
  }

  private async pass(request: FastifyRequest, reply: FastifyReply, caller: ApiPrincipal): Promise<void> {
    reply.hijack();
    await this.tus.handle(caller.tenant, request.raw, reply.raw);
  }
}

import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ProblemException } from '../common/problem/problem.exception.js';
import { findPublicDir, loadAssets, type Asset } from './dashboard-assets.js';

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Serves the operator dashboard (plain HTML, CSS and ES modules; no CDN, works offline). */
@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  private readonly assets: Map<string, Asset> = loadAssets(findPublicDir());

  @Get()
  index(
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.send('index.html', ifNoneMatch, reply);
  }

  @Get(':file')
  file(
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.send(file, ifNoneMatch, reply);
  }

  private async send(
    name: string,
    ifNoneMatch: string | undefined,
    reply: FastifyReply,
  ): Promise<void> {
    const asset = this.assets.get(name);
    if (!asset)
      throw new ProblemException(
        404,
        'not-found',
        'Not found',
        `no dashboard file named ${name.slice(0, 100)}`,
      );
    void reply
      .headers(SECURITY_HEADERS)
      .header('cache-control', 'no-cache')
      .header('etag', asset.etag);
    if (ifNoneMatch === asset.etag) {
      await reply.status(304).send();
      return;
    }
    await reply.status(200).header('content-type', asset.contentType).send(asset.body);
  }
}

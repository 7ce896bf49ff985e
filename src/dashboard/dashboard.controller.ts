import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ProblemException } from '../common/problem/problem.exception.js';
import { Public } from '../auth/access.decorator.js';
import { findPublicDir, loadAssets, type Asset } from './dashboard-assets.js';

/**
 * Serves the operator dashboard (plain HTML, CSS and ES modules; no CDN, works offline). Its files
 * are public; the data it shows comes from the API with the key the user types in. Security headers
 * and the Content-Security-Policy come from @fastify/helmet (src/http/security-headers.ts).
 */
@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  private readonly assets: Map<string, Asset> = loadAssets(findPublicDir());

  @Get()
  @Public()
  index(
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.send('index.html', ifNoneMatch, reply);
  }

  @Get(':file')
  @Public()
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
      .header('cache-control', 'no-cache')
      .header('etag', asset.etag);
    if (ifNoneMatch === asset.etag) {
      await reply.status(304).send();
      return;
    }
    await reply.status(200).header('content-type', asset.contentType).send(asset.body);
  }
}

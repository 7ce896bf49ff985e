import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bull';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../../config/app-config.js';
import { WEBHOOK_QUEUE } from './webhook-delivery-queue.js';
import { requireRoles } from '../../auth/authentication.js';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Bull Board for the delivery queue at /admin/queues (Redis only), an operator tool for admins only.
 * Mounted outside Nest's router, so its role check is a hook in the plugin's own scope: it runs on
 * exactly the routes the router matched there, however the path was spelled.
 */
@Injectable()
export class BullBoardMount implements OnModuleInit {
  private readonly logger = new Logger(BullBoardMount.name);

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    @InjectQueue(WEBHOOK_QUEUE) private readonly queue: Queue,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.runsApi) return;
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(BULL_BOARD_PATH);
    createBullBoard({ queues: [new BullAdapter(this.queue, { readOnlyMode: false })], serverAdapter });
    await fastify.register(
      async (scope) => {
        scope.addHook('onRequest', requireRoles(['admin']));
        await scope.register(serverAdapter.registerPlugin());
      },
      { prefix: BULL_BOARD_PATH },
    );
    this.logger.log({ msg: 'Bull Board mounted', path: BULL_BOARD_PATH });
  }
}

import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module.js';
import { installApiKeyAuth } from '../auth/api-key-hook.js';
import { Problems } from '../common/problem/problem.exception.js';
import { ProblemFilter } from '../common/problem/problem.filter.js';
import { toFieldErrors } from '../common/validation/validate-object.js';
import type { AppConfig } from '../config/app-config.js';
import type { DatabaseTarget } from '../database/typeorm-options.js';
import { jsonLogger } from './json-logger.js';
import { buildContract } from '../contract/contract-documents.js';
import { serveContract } from '../contract/serve-contract.js';
import { JobTypes } from '../jobs/types/job-types.js';

export async function createApp(config: AppConfig, database: DatabaseTarget): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, trustProxy: true });
  // The API speaks JSON only: any other body gets 415 rather than a confusing validation error.
  adapter.getInstance().removeContentTypeParser('text/plain');
  installApiKeyAuth(adapter.getInstance(), config.apiKeys);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, database), adapter, {
    logger: jsonLogger(config.logLevel),
    bufferLogs: false,
    bodyParser: false,
  });
  app.useBodyParser('application/json', { bodyLimit: config.bodyLimitBytes });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => Problems.validation(toFieldErrors(errors)),
    }),
  );
  app.useGlobalFilters(new ProblemFilter());
  // Initialised first: the contract lists the job types the handlers registered while the modules started.
  await app.init();
  serveContract(app, buildContract(app, app.get(JobTypes).all()));
  return app;
}

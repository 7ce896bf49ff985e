import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module.js';
import { installAuthentication } from '../auth/authentication.js';
import { DeferredKeyLookup } from '../auth/managed-key-lookup.js';
import { ManagedApiKeys } from '../api-keys/managed-api-keys.js';
import { Problems } from '../common/problem/problem.exception.js';
import { ProblemFilter } from '../common/problem/problem.filter.js';
import { toFieldErrors } from '../common/validation/validate-object.js';
import type { AppConfig } from '../config/app-config.js';
import type { DatabaseTarget } from '../database/typeorm-options.js';
import { installJsonBodyParser } from '../http/json-body-parser.js';
import { installRateLimit } from '../http/rate-limit.js';
import { installSecurityHeaders } from '../http/security-headers.js';
import { serverOptions } from '../http/server-options.js';
import { refuseUnstorableInput } from '../http/unstorable-input.js';
import { jsonLogger } from './json-logger.js';
import { buildContract } from '../contract/contract-documents.js';
import { serveContract } from '../contract/serve-contract.js';
import { JobTypes } from '../jobs/types/job-types.js';

export async function createApp(config: AppConfig, database: DatabaseTarget): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter(serverOptions(config));
  const fastify = adapter.getInstance();
  fastify.server.maxConnections = config.http.maxConnections;
  // Order matters: who is calling is known before the rate limit counts the request.
  installSecurityHeaders(fastify);
  const managedKeys = new DeferredKeyLookup();
  installAuthentication(fastify, config.apiKeys, managedKeys);
  await installRateLimit(fastify, config);
  refuseUnstorableInput(fastify);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, database), adapter, {
    logger: jsonLogger(config.logLevel),
    bufferLogs: false,
    bodyParser: false,
  });
  // The API speaks JSON only: any other body gets 415 rather than a confusing validation error.
  installJsonBodyParser(fastify, config.bodyLimitBytes, { maxDepth: config.http.jsonMaxDepth, maxKeys: config.http.jsonMaxKeys });
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
  managedKeys.attach(app.get(ManagedApiKeys));
  serveContract(app, buildContract(app, app.get(JobTypes).submittable()));
  return app;
}

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { ContractDocuments } from './contract-documents.js';

/** Swagger UI at /docs, the OpenAPI document at /docs-json, the AsyncAPI document at /asyncapi.json. */
export function serveContract(app: NestFastifyApplication, documents: ContractDocuments): void {
  SwaggerModule.setup('docs', app, documents.openApi, { jsonDocumentUrl: 'docs-json' });
  const asyncApi = JSON.stringify(documents.asyncApi);
  app
    .getHttpAdapter()
    .getInstance()
    .get('/asyncapi.json', (_request, reply) => reply.type('application/json; charset=utf-8').send(asyncApi));
}

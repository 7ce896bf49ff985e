import 'reflect-metadata';
import { DiscoveryService, ModulesContainer, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/load-config.js';
import { JobTypes } from '../jobs/types/job-types.js';
import { JobHandlerRegistry } from '../workers/job-handler.registry.js';
import { buildContract, CONTRACT_FILES, documentText, type ContractDocuments } from './contract-documents.js';

/**
 * Builds the contract without a database or a server: Nest's preview mode scans the modules without
 * instantiating them, and the handler registry reads the @JobHandlerFor metadata. The defaults of an
 * empty environment decide what is in it (e.g. the diagnostic `sleep` type).
 *   node dist/contract/contract-cli.js write   writes docs/openapi.json and docs/asyncapi.json
 *   node dist/contract/contract-cli.js check   fails if they differ from what the code describes
 */
async function offlineContract(): Promise<ContractDocuments> {
  const config = loadConfig({});
  const target = { url: 'postgres://preview@127.0.0.1:1/preview', schema: undefined };
  const app = await NestFactory.create(AppModule.forRoot(config, target), new FastifyAdapter(), { preview: true, logger: false });
  const jobTypes = new JobTypes();
  new JobHandlerRegistry(new DiscoveryService(app.get(ModulesContainer)), jobTypes, config).onModuleInit();
  return buildContract(app, jobTypes.submittable());
}

async function main(command: string | undefined): Promise<number> {
  const documents = await offlineContract();
  const stale: string[] = [];
  for (const [key, file] of Object.entries(CONTRACT_FILES) as Array<[keyof ContractDocuments, string]>) {
    const text = documentText(documents[key]);
    const path = resolve(file);
    if (command === 'write') writeFileSync(path, text);
    else if (readOrEmpty(path) !== text) stale.push(file);
  }
  if (command !== 'write' && command !== 'check') {
    process.stderr.write('usage: contract-cli write|check\n');
    return 2;
  }
  if (stale.length > 0) {
    process.stderr.write(`out of date: ${stale.join(', ')}; run npm run client:generate and commit the result\n`);
    return 1;
  }
  return 0;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

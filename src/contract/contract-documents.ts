import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { JobTypeDescriptor } from '../jobs/types/job-types.js';
import { buildAsyncApiDocument } from './asyncapi/asyncapi-document.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';

export interface ContractDocuments {
  openApi: OpenAPIObject;
  asyncApi: Record<string, unknown>;
}

/** Where the checked-in copies live (docs/), relative to the repository root. */
export const CONTRACT_FILES = { openApi: 'docs/openapi.json', asyncApi: 'docs/asyncapi.json' } as const;

export function buildContract(app: INestApplication, jobTypes: readonly JobTypeDescriptor[]): ContractDocuments {
  const openApi = buildOpenApiDocument(app, jobTypes);
  return { openApi, asyncApi: buildAsyncApiDocument(openApi) };
}

/** The bytes of a checked-in document: stable key order as built, two-space JSON, a final newline. */
export const documentText = (document: object): string => `${JSON.stringify(document, null, 2)}\n`;

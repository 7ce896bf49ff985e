import { getSchemaPath } from '@nestjs/swagger';
import type { JobTypeDescriptor } from '../../jobs/types/job-types.js';
import { publicSchemaName } from './schema-names.js';
import { operationsOf, type Schema } from './schema-walk.js';

interface Components {
  components?: { schemas?: Record<string, Schema> };
  paths?: Record<string, unknown>;
}

/** A body with `type` and `payload` that becomes a union on `type`, one variant per registered job type. */
export interface JobRequestSchema {
  /** The schema the class produced (e.g. SubmitJobDto); it becomes the union. */
  base: string;
  /** Variant name for a type, e.g. `SleepJobSubmission`. */
  variant: (typeName: string) => string;
  description: string;
  /** Whether a payload the type cannot do without is required by the schema (not for Kafka: a dispatch names only the job). */
  requirePayload: boolean;
}

/** A result operation and the job types whose results it may send. */
export interface JobResultOperation {
  operationId: string;
  /** 'all', or the one job type the operation serves. */
  types: string;
}

export const pascalCase = (type: string): string =>
  type
    .split(/[._-]/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');

/**
 * Turns each job request body into a discriminated union on `type` with the payload schema of each
 * registered handler, so a new @JobHandlerFor appears in the contract by itself.
 */
export function withJobTypeUnions<T extends object>(document: T, jobTypes: readonly JobTypeDescriptor[], requests: readonly JobRequestSchema[]): T {
  const schemas = (document as Components).components?.schemas;
  if (!schemas || jobTypes.length === 0) return document;
  for (const request of requests) {
    const base = schemas[request.base];
    if (!base) throw new Error(`no schema ${request.base} to turn into a job type union`);
    const mapping: Record<string, string> = {};
    for (const jobType of jobTypes) {
      const name = request.variant(pascalCase(jobType.type));
      schemas[name] = variantOf(base, jobType, schemas, request.requirePayload);
      mapping[jobType.type] = `#/components/schemas/${name}`;
    }
    schemas[request.base] = {
      description: request.description,
      oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
      discriminator: { propertyName: 'type', mapping },
    };
  }
  return document;
}

function variantOf(base: Schema, jobType: JobTypeDescriptor, schemas: Record<string, Schema>, requirePayload: boolean): Schema {
  const payloadRef = getSchemaPath(jobType.payload);
  const payloadSchema = schemas[payloadRef.split('/').pop() ?? ''];
  const payloadRequired = requirePayload && Array.isArray(payloadSchema?.required) && payloadSchema.required.length > 0;
  const properties = { ...(base.properties as Record<string, Schema>) };
  properties.type = { type: 'string', enum: [jobType.type], description: jobType.description ?? `A ${jobType.type} job` };
  properties.payload = { $ref: payloadRef };
  const required = new Set([...((base.required as string[] | undefined) ?? []), 'type', ...(payloadRequired ? ['payload'] : [])]);
  return { ...base, description: jobType.description, properties, required: [...required] };
}

/** The result operations' content: JSON (typed where the job type declares a result class) and every other content type the types produce. */
export function withJobResultContent<T extends object>(document: T, jobTypes: readonly JobTypeDescriptor[], operations: readonly JobResultOperation[]): T {
  for (const { operationId, types } of operations) {
    const found = operationsOf((document as Components).paths).find(({ operation }) => operation.operationId === operationId);
    if (!found) throw new Error(`no operation ${operationId} to describe job results for`);
    const relevant = jobTypes.filter((jobType) => types === 'all' || jobType.type === types);
    const jsonClasses = relevant.flatMap((jobType) => (jobType.result?.json ? [jobType.result.json] : []));
    const json: Schema =
      types !== 'all' && jsonClasses.length === 1
        ? { $ref: getSchemaPath(jsonClasses[0]) }
        : { description: `The JSON the job produced; its schema depends on the job type${describeTypedResults(relevant)}` };
    const content: Record<string, { schema: Schema }> = { 'application/json': { schema: json } };
    for (const contentType of relevant.flatMap((jobType) => jobType.result?.otherContentTypes ?? [])) {
      content[contentType] = { schema: { type: 'string', description: `The result as ${contentType}` } };
    }
    const responses = found.operation.responses as Record<string, { content?: unknown }>;
    responses['200'] = { ...responses['200'], content };
  }
  return document;
}

function describeTypedResults(jobTypes: readonly JobTypeDescriptor[]): string {
  const typed = jobTypes.filter((jobType) => jobType.result?.json);
  if (typed.length === 0) return '.';
  return ` (${typed.map((jobType) => `${jobType.type}: ${publicSchemaName(getSchemaPath(jobType.result!.json!).split('/').pop() ?? '')}`).join(', ')}).`;
}

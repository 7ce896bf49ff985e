import type { INestApplication } from '@nestjs/common';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ProblemDto } from '../../common/problem/problem.dto.js';
import type { JobTypeDescriptor } from '../../jobs/types/job-types.js';
import { ProgressEventData, SnapshotEventData, StatusEventData } from '../../progress/sse/sse-events.dto.js';
import { DeadJobRecordDto } from '../../queue/kafka/dead-job-record.dto.js';
import { JobMessage } from '../../queue/kafka/job-message.js';
import { WebhookEventDto } from '../../webhooks/dto/webhook-event.dto.js';
import { documentInfo } from './document-info.js';
import { assertGeneratorSafe } from './generator-safety.js';
import { withJobResultContent, withJobTypeUnions } from './job-type-schemas.js';
import { toOpenApi31 } from './openapi-31.js';
import { withPublicSchemaNames } from './schema-names.js';
import { withExplicitSecurity } from './security-requirements.js';
import { withStandardResponses } from './standard-responses.js';
import { withWebhooks } from './webhooks-section.js';

const JOB_REQUESTS = [
  { base: 'SubmitJobDto', variant: (type: string) => `${type}JobSubmission`, description: 'A job to run: the fields of the variant chosen by `type`', requirePayload: true },
  { base: 'ScheduleJobDto', variant: (type: string) => `${type}ScheduledJob`, description: 'The job each fire submits: the fields of the variant chosen by `type`', requirePayload: true },
  { base: 'JobMessage', variant: (type: string) => `${type}KafkaJobMessage`, description: 'The value of a record on the jobs topic (UTF-8 JSON): the fields of the variant chosen by `type`', requirePayload: false },
];

/** Schemas of the event contracts (Kafka, Server-Sent Events, webhooks), kept beside the API's so the AsyncAPI document shares them. */
const EVENT_MODELS = [JobMessage, DeadJobRecordDto, SnapshotEventData, ProgressEventData, StatusEventData, WebhookEventDto];

const RESULT_OPERATIONS = [
  { operationId: 'getJobResult', types: 'all' },
  { operationId: 'getReportResult', types: 'report' },
];

/**
 * The API contract, OpenAPI 3.1: Nest's document from the controllers and DTOs, with the job types'
 * unions, the statuses every operation can answer, the webhooks, public schema names and 3.1 schemas.
 */
export function buildOpenApiDocument(app: INestApplication, jobTypes: readonly JobTypeDescriptor[]): OpenAPIObject {
  const extraModels = [ProblemDto, ...EVENT_MODELS, ...jobTypes.flatMap((type) => [type.payload, ...(type.result?.json ? [type.result.json] : [])])];
  let document = SwaggerModule.createDocument(app, documentInfo(), { extraModels });
  document = withJobTypeUnions(document, jobTypes, JOB_REQUESTS);
  document = withJobResultContent(document, jobTypes, RESULT_OPERATIONS);
  document = withStandardResponses(document);
  document = withExplicitSecurity(withWebhooks(document));
  document = toOpenApi31(withPublicSchemaNames(document));
  assertGeneratorSafe(document);
  return document;
}

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { JOB_TYPE_PATTERN } from '../../jobs/dto/submit-job.dto.js';
import { JobMessage } from './job-message.js';
import { MAX_EMAIL_LENGTH } from '../../notifications/dto/email-address.js';
import { MAX_JOB_EMAILS } from '../../notifications/dto/job-notify.dto.js';
import { NOTIFIED_EVENTS } from '../../notifications/job-notify.js';

interface PropertySchema {
  type: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

interface MessageSchema {
  $schema: string;
  type: string;
  required: string[];
  additionalProperties: boolean;
  properties: Record<string, PropertySchema>;
}

/** The published contract (docs/) and the class the consumer validates with must describe the same message. */
describe('docs/kafka-job-message.schema.json', () => {
  const schema = JSON.parse(
    readFileSync(resolve('docs/kafka-job-message.schema.json'), 'utf8'),
  ) as MessageSchema;
  const rules = getMetadataStorage().getTargetValidationMetadatas(JobMessage, '', true, false);
  const validated = [...new Set(rules.map((rule) => rule.propertyName))].sort();
  const optional = new Set(
    rules.filter((rule) => rule.type === 'conditionalValidation').map((rule) => rule.propertyName),
  );
  const constraint = (property: string, name: string): unknown =>
    rules.find((rule) => rule.propertyName === property && rule.name === name)?.constraints?.[0];

  it('is a closed JSON Schema draft 2020-12 object', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
  });

  it('names exactly the properties JobMessage validates', () => {
    expect(validated).toEqual([
      'callbackUrl',
      'idempotencyKey',
      'jobId',
      'maxAttempts',
      'notify',
      'payload',
      'queueTtlSeconds',
      'timeoutSeconds',
      'type',
    ]);
    expect(Object.keys(schema.properties).sort()).toEqual(validated);
  });

  it('requires exactly the properties JobMessage does not mark optional', () => {
    expect([...schema.required].sort()).toEqual(
      validated.filter((property) => !optional.has(property)),
    );
  });

  it('carries the same bounds', () => {
    expect(schema.properties.type.pattern).toBe(JOB_TYPE_PATTERN.source);
    expect(constraint('type', 'matches')).toEqual(JOB_TYPE_PATTERN);
    expect([schema.properties.maxAttempts.minimum, schema.properties.maxAttempts.maximum]).toEqual([
      constraint('maxAttempts', 'min'),
      constraint('maxAttempts', 'max'),
    ]);
    expect([
      schema.properties.idempotencyKey.minLength,
      schema.properties.idempotencyKey.maxLength,
    ]).toEqual([
      constraint('idempotencyKey', 'minLength'),
      constraint('idempotencyKey', 'maxLength'),
    ]);
    for (const limit of ['timeoutSeconds', 'queueTtlSeconds']) {
      expect([schema.properties[limit].minimum, schema.properties[limit].maximum]).toEqual([constraint(limit, 'min'), constraint(limit, 'max')]);
    }
    const notify = schema.properties.notify as unknown as {
      properties: { email: { maxItems: number; items: { maxLength: number } }; events: { items: { enum: string[] } } };
    };
    expect(notify.properties.email.maxItems).toBe(MAX_JOB_EMAILS);
    expect(notify.properties.email.items.maxLength).toBe(MAX_EMAIL_LENGTH);
    expect(notify.properties.events.items.enum).toEqual([...NOTIFIED_EVENTS]);
  });
});

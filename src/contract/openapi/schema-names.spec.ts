import { publicSchemaName, withPublicSchemaNames } from './schema-names.js';

describe('public schema names', () => {
  it('drops the Dto suffix, with a few names chosen by hand', () => {
    expect(publicSchemaName('JobDto')).toBe('Job');
    expect(publicSchemaName('SnapshotEventData')).toBe('SnapshotEventData');
    expect(publicSchemaName('JobStatusDto')).toBe('JobStatusView');
    expect(publicSchemaName('SubmitJobDto')).toBe('JobSubmission');
  });

  it('renames the components and every reference to them, discriminator mappings included', () => {
    const document = {
      paths: { '/jobs': { get: { responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/JobDto' } } } } } } } },
      components: {
        schemas: {
          JobDto: { type: 'object', properties: { error: { $ref: '#/components/schemas/JobErrorDto' } } },
          JobErrorDto: { type: 'object' },
          SubmitJobDto: { oneOf: [{ $ref: '#/components/schemas/SleepJobSubmission' }], discriminator: { propertyName: 'type', mapping: { sleep: '#/components/schemas/SleepJobSubmission' } } },
          SleepJobSubmission: { type: 'object' },
        },
      },
    };
    const renamed = withPublicSchemaNames(document);
    expect(Object.keys(renamed.components.schemas)).toEqual(['Job', 'JobError', 'JobSubmission', 'SleepJobSubmission']);
    expect(renamed.paths['/jobs'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Job' });
    expect((renamed.components.schemas as Record<string, any>).Job.properties.error).toEqual({ $ref: '#/components/schemas/JobError' });
  });

  it('refuses two schemas that would get one name', () => {
    expect(() => withPublicSchemaNames({ components: { schemas: { Job: {}, JobDto: {} } } })).toThrow('would both be called Job');
  });
});

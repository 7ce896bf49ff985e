import { withJobResultContent, withJobTypeUnions, pascalCase } from './job-type-schemas.js';

class ThumbnailPayload {}
class ThumbnailResult {}
class PingPayload {}

const jobTypes = [
  { type: 'ping', payload: PingPayload },
  { type: 'image.thumbnail', payload: ThumbnailPayload, result: { json: ThumbnailResult, otherContentTypes: ['image/png'] }, description: 'Makes a thumbnail' },
];

function document() {
  return {
    paths: {
      '/jobs/{id}/result': { get: { operationId: 'getJobResult', responses: { '200': { description: 'r' } } } },
      '/thumbnails/{id}/result': { get: { operationId: 'getThumbnail', responses: { '200': { description: 'r' } } } },
    },
    components: {
      schemas: {
        SubmitJobDto: { type: 'object', properties: { type: { type: 'string' }, payload: { type: 'object' }, priority: { type: 'integer' } }, required: ['type'] },
        ThumbnailPayload: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] },
        PingPayload: { type: 'object', properties: {} },
      } as Record<string, Record<string, unknown>>,
    },
  };
}

const request = { base: 'SubmitJobDto', variant: (type: string) => `${type}JobSubmission`, description: 'A job', requirePayload: true };

describe('job type schemas', () => {
  it('names variants after the type', () => {
    expect(pascalCase('image.thumbnail')).toBe('ImageThumbnail');
    expect(pascalCase('video-transcode_v2')).toBe('VideoTranscodeV2');
  });

  it('makes a body a discriminated union on type with one variant per registered type, payload typed', () => {
    const schemas = withJobTypeUnions(document(), jobTypes, [request]).components.schemas;
    expect(schemas.SubmitJobDto).toEqual({
      description: 'A job',
      oneOf: [{ $ref: '#/components/schemas/PingJobSubmission' }, { $ref: '#/components/schemas/ImageThumbnailJobSubmission' }],
      discriminator: {
        propertyName: 'type',
        mapping: { ping: '#/components/schemas/PingJobSubmission', 'image.thumbnail': '#/components/schemas/ImageThumbnailJobSubmission' },
      },
    });
    const thumbnail = schemas.ImageThumbnailJobSubmission as { properties: Record<string, unknown>; required: string[] };
    expect(thumbnail.properties.type).toEqual({ type: 'string', enum: ['image.thumbnail'], description: 'Makes a thumbnail' });
    expect(thumbnail.properties.payload).toEqual({ $ref: '#/components/schemas/ThumbnailPayload' });
    expect(thumbnail.properties.priority).toEqual({ type: 'integer' });
    expect(thumbnail.required).toEqual(['type', 'payload']);
    expect((schemas.PingJobSubmission as { required: string[] }).required).toEqual(['type']);
  });

  it('leaves payloads optional where a request may name only the job (Kafka dispatches)', () => {
    const schemas = withJobTypeUnions(document(), jobTypes, [{ ...request, requirePayload: false }]).components.schemas;
    expect((schemas.ImageThumbnailJobSubmission as { required: string[] }).required).toEqual(['type']);
  });

  it('describes result content from the declared results: typed JSON for one type, every content type any type produces', () => {
    const paths = withJobResultContent(document(), jobTypes, [
      { operationId: 'getJobResult', types: 'all' },
      { operationId: 'getThumbnail', types: 'image.thumbnail' },
    ]).paths as Record<string, any>;
    const all = paths['/jobs/{id}/result'].get.responses['200'].content;
    expect(Object.keys(all)).toEqual(['application/json', 'image/png']);
    expect(all['application/json'].schema.description).toContain('image.thumbnail: ThumbnailResult');
    expect(paths['/thumbnails/{id}/result'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ThumbnailResult' });
  });
});

import { withStandardResponses } from './standard-responses.js';

const ok = { description: 'ok' };

describe('standard responses', () => {
  const document = () => ({
    paths: {
      '/jobs': {
        post: { operationId: 'submitJob', responses: { '202': ok, '400': { description: 'mine' } } },
        get: { operationId: 'listJobs', security: [{ bearer: [] }], responses: { '200': ok } },
      },
      '/health/live': { get: { operationId: 'getLiveness', responses: { '200': ok } } },
      '/jobs/{id}': { get: { operationId: 'getJob', responses: { '200': ok } } },
    },
  });

  it('adds what a class of operations can answer, keeps what an operation documents itself, sorts by status', () => {
    const paths = withStandardResponses(document()).paths;
    expect(Object.keys(paths['/jobs'].post.responses)).toEqual(['202', '400', '413', '414', '415', '500', '503']);
    expect(paths['/jobs'].post.responses['400']).toEqual({ description: 'mine' });
    expect(Object.keys(paths['/jobs'].get.responses)).toEqual(['200', '414', '500', '503']);
    expect(Object.keys(paths['/health/live'].get.responses)).toEqual(['200', '414', '500']);
    // A path parameter can be malformed before any handler runs.
    expect(Object.keys(paths['/jobs/{id}'].get.responses)).toEqual(['200', '400', '414', '500', '503']);
  });

  it('documents a 503 with Retry-After and every added answer as a problem', () => {
    const responses = withStandardResponses(document()).paths['/jobs'].get.responses as Record<string, any>;
    expect(responses['503'].headers['Retry-After'].schema.type).toBe('integer');
    expect(Object.keys(responses['500'].content)).toEqual(['application/problem+json']);
  });

  it('takes a rule for every authenticated operation as one more entry', () => {
    const rules = [{ statuses: [401, 429], appliesTo: ({ secured }: { secured: boolean }) => secured }];
    const paths = withStandardResponses(document(), rules).paths;
    expect(Object.keys(paths['/jobs'].get.responses)).toEqual(['200', '401', '429']);
    expect(Object.keys(paths['/jobs'].post.responses)).toEqual(['202', '400']);
    expect(Object.keys(paths['/health/live'].get.responses)).toEqual(['200']);
  });
});

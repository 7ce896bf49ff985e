import { assertGeneratorSafe } from './generator-safety.js';

const operation = (operationId: unknown, tags = ['jobs']) => ({ operationId, tags, responses: {} });

describe('assertGeneratorSafe', () => {
  it('accepts a document with explicit unique camelCase operation ids, declared tags and no comment ends', () => {
    expect(() => assertGeneratorSafe({ tags: [{ name: 'jobs' }], paths: { '/jobs': { get: operation('listJobs'), post: operation('submitJob') } } })).not.toThrow();
  });

  it.each([
    ['a "*/" that would close a JSDoc comment', { tags: [{ name: 'jobs' }], paths: { '/jobs': { get: { ...operation('listJobs'), description: 'every 2 s: */2 * * * * *' } } } }, '*/'],
    ['a default operation id', { tags: [{ name: 'jobs' }], paths: { '/jobs': { get: operation('JobsController_list') } } }, 'explicit camelCase operationId'],
    ['a missing operation id', { tags: [{ name: 'jobs' }], paths: { '/jobs': { get: operation(undefined) } } }, 'explicit camelCase operationId'],
    ['an operation id used twice', { tags: [{ name: 'jobs' }], paths: { '/a': { get: operation('same') }, '/b': { get: operation('same') } } }, 'used twice'],
    ['an undeclared tag', { tags: [], paths: { '/jobs': { get: operation('listJobs') } } }, 'not declared'],
    ['a webhook without an operation id', { tags: [{ name: 'jobs' }], webhooks: { 'job.dead': { post: operation(undefined) } } }, 'POST job.dead'],
  ])('refuses %s', (_label, document, message) => {
    expect(() => assertGeneratorSafe(document)).toThrow(message);
  });
});

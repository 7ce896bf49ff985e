import { OpenApiResponses } from './openapi-responses.js';

const contract = new OpenApiResponses();
const JOB = '6f1c2a4e-0000-4000-8000-000000000000';
const json = (body: unknown) => JSON.stringify(body);

function answer(method: string, path: string, status: number, headers: Record<string, string>, body: string | undefined) {
  return contract.check({ method, url: new URL(`http://127.0.0.1:1${path}`), status, headers: new Headers(headers), body });
}

const accepted = { jobId: JOB, status: 'QUEUED', statusUrl: `/jobs/${JOB}`, progressUrl: `/jobs/${JOB}/progress`, resultUrl: null };
const submitHeaders = { 'content-type': 'application/json; charset=utf-8', location: `/jobs/${JOB}`, 'retry-after': '2' };

/** The e2e hook is only worth something if it can fail: each kind of mismatch it must catch. */
describe('OpenApiResponses', () => {
  it('accepts an answer that keeps the contract', () => {
    expect(answer('POST', '/jobs', 202, submitHeaders, json(accepted))).toEqual([]);
  });

  it('catches a status the operation does not document', () => {
    expect(answer('POST', '/jobs', 418, {}, '')).toEqual([expect.stringContaining('status 418 is not documented for submitJob')]);
  });

  it('catches a body that breaks its schema: a missing field, a wrong type, a value outside an enum, a bad format', () => {
    const missing: Partial<typeof accepted> = { ...accepted };
    delete missing.resultUrl;
    expect(answer('POST', '/jobs', 202, submitHeaders, json(missing))).toEqual([expect.stringContaining("must have required property 'resultUrl'")]);
    expect(answer('POST', '/jobs', 202, submitHeaders, json({ ...accepted, resultUrl: 5 }))).toEqual([expect.stringContaining('must be string,null')]);
    expect(answer('POST', '/jobs', 202, submitHeaders, json({ ...accepted, status: 'WAITING' }))).toEqual([expect.stringContaining('must be equal to one of the allowed values')]);
    expect(answer('POST', '/jobs', 202, submitHeaders, json({ ...accepted, jobId: 'job-1' }))).toEqual([expect.stringContaining('must match format "uuid"')]);
  });

  it('catches a missing or malformed required header', () => {
    const noLocation: Partial<typeof submitHeaders> = { ...submitHeaders };
    delete noLocation.location;
    expect(answer('POST', '/jobs', 202, noLocation as Record<string, string>, json(accepted))).toEqual([expect.stringContaining('required header Location is missing')]);
    expect(answer('POST', '/jobs', 202, { ...submitHeaders, 'retry-after': 'soon' }, json(accepted))).toEqual([expect.stringContaining('header Retry-After')]);
  });

  it('catches an undocumented content type, a missing body and an unexpected one', () => {
    expect(answer('POST', '/jobs', 202, { ...submitHeaders, 'content-type': 'text/plain' }, 'ok')).toEqual([expect.stringContaining('content type text/plain is not documented')]);
    expect(answer('POST', '/jobs', 202, submitHeaders, '')).toEqual([expect.stringContaining('sends no body')]);
    expect(answer('DELETE', `/schedules/${JOB}`, 204, { 'content-type': 'application/json' }, '{}')).toEqual([expect.stringContaining('does not document')]);
  });

  it('catches an operation the contract does not have, but not a 404 for an unknown route or the undocumented tools', () => {
    expect(answer('PUT', '/jobs', 200, {}, '')).toEqual([expect.stringContaining('no such operation')]);
    expect(answer('GET', '/nowhere', 404, {}, '')).toEqual([]);
    expect(answer('GET', '/metrics', 200, { 'content-type': 'text/plain' }, '# metrics')).toEqual([]);
  });

  it('matches literal routes before templated ones (/jobs/progress is not /jobs/{id})', () => {
    expect(answer('GET', '/jobs/progress?ids=x', 200, { 'content-type': 'text/event-stream' }, undefined)).toEqual([]);
  });

  it('validates a JSON Schema pointer of the document, for SSE data lines', () => {
    expect(contract.validates('/components/schemas/ProgressEventData', { jobId: JOB, attempt: 1, percent: 50, message: null, updatedAt: '2026-11-29T12:00:00Z' })).toBeNull();
    expect(contract.validates('/components/schemas/ProgressEventData', { jobId: JOB, attempt: 1, percent: 50.5, message: null, updatedAt: '2026-11-29T12:00:00Z' })).toContain('must be integer');
  });
});

import { checkAnswer, isWatched, recordedMismatches } from './contract-hook.js';

/**
 * Jest setup of the e2e suites: fetch is wrapped so that every answer of a watched app is checked
 * against the contract before the test sees it; a mismatch that a test swallowed (a retry loop, say)
 * still fails the file here.
 */
const realFetch = globalThis.fetch;

globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const response = await realFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : input.toString());
  if (!isWatched(url)) return response;
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const streaming = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  const body = streaming || method === 'HEAD' ? undefined : await response.clone().text();
  checkAnswer({ method, url, status: response.status, headers: response.headers, body });
  return response;
};

afterAll(() => {
  expect(recordedMismatches()).toEqual([]);
});

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
  // A followed redirect (a presigned result URL, say) ends at another server: its answer is not ours.
  if (!isWatched(url) || (response.redirected && !isWatched(new URL(response.url)))) return response;
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const body = method !== 'HEAD' && isJson(response.headers.get('content-type')) ? await response.clone().text() : undefined;
  checkAnswer({ method, url, status: response.status, headers: response.headers, body });
  return response;
};

/** Only JSON bodies have schemas to check; results can be large binary streams that must not be buffered here. */
function isJson(contentType: string | null): boolean {
  return /^application\/([a-z.+-]*\+)?json\b/.test(contentType ?? '');
}

afterAll(() => {
  expect(recordedMismatches()).toEqual([]);
});

import type { components } from './schema.js';

/** An RFC 9457 problem the API answered with, as an Error (match on `problem.type`). */
export class LonghaulProblem extends Error {
  override readonly name = 'LonghaulProblem';

  constructor(
    readonly status: number,
    readonly problem: components['schemas']['Problem'],
  ) {
    super(`${status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
  }
}

/** Throws the problem of a failed openapi-fetch call; returns the data of a successful one. */
export function dataOrThrow<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data !== undefined && answer.response.ok) return answer.data;
  const problem = (answer.error ?? { type: 'about:blank', title: answer.response.statusText, status: answer.response.status }) as components['schemas']['Problem'];
  throw new LonghaulProblem(answer.response.status, problem);
}

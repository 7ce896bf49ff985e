import { OpenApiResponses, type ObservedResponse } from './openapi-responses.js';

/**
 * The shared test hook: every answer an app under test gives (fetch, the SSE client, the shipped client,
 * the generated ones) is checked against the contract; test/support/contract/setup.ts fails the suite
 * file on any mismatch. Apps started by the suites register their base URLs here.
 */
const contract = new OpenApiResponses();

const origins = new Set<string>();
const mismatches: string[] = [];

export class ContractMismatch extends Error {
  override readonly name = 'ContractMismatch';
}

export function watchApp(baseUrl: string): void {
  origins.add(new URL(baseUrl).origin);
}

export function isWatched(url: URL): boolean {
  return origins.has(url.origin);
}

/** Records the mismatches of one answer (the suite fails at its end) and returns them. */
export function noteAnswer(answer: ObservedResponse): string[] {
  const found = contract.check(answer);
  mismatches.push(...found);
  return found;
}

/** Records and throws the mismatches of one answer, so the test that got it fails at once. */
export function checkAnswer(answer: ObservedResponse): void {
  const found = noteAnswer(answer);
  if (found.length > 0) throw new ContractMismatch(`the answer breaks the API contract (docs/openapi.json):\n  - ${found.join('\n  - ')}`);
}

/** Records a Server-Sent Events data line that does not match its event's schema. */
export function noteSseEvent(event: string, data: unknown): void {
  const schema = ({ snapshot: 'SnapshotEventData', progress: 'ProgressEventData', status: 'StatusEventData' } as Record<string, string>)[event];
  const problem = schema ? contract.validates(`/components/schemas/${schema}`, data) : `unknown event type ${event}`;
  if (problem !== null) mismatches.push(`SSE event ${event}: ${problem}: ${JSON.stringify(data).slice(0, 300)}`);
}

export function recordedMismatches(): readonly string[] {
  return mismatches;
}

import type { ResultToStore } from '../results/result-store.port.js';
import type { JobOutput } from './job-handler.js';

export function toStorableResult(output: JobOutput): ResultToStore {
  switch (output.kind) {
    case 'json':
      return { contentType: 'application/json', body: Buffer.from(JSON.stringify(output.value ?? null)) };
    case 'body':
      return {
        contentType: output.contentType,
        body: typeof output.body === 'string' ? Buffer.from(output.body) : output.body,
      };
  }
}

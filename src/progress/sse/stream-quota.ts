import { ProblemException } from '../../common/problem/problem.exception.js';

/** Open streams per owner (an API key, or a client address without keys), capped by SSE_MAX_STREAMS_PER_KEY. */
export class StreamQuota {
  private readonly open = new Map<string, number>();

  constructor(private readonly perOwner: number) {}

  /** Takes one slot or throws 429; call the returned function exactly once when the stream ends. */
  take(owner: string): () => void {
    const current = this.open.get(owner) ?? 0;
    if (current >= this.perOwner) {
      throw new ProblemException(429, 'too-many-streams', 'Too many open streams', `at most ${this.perOwner} progress streams may be open per key; close one first`);
    }
    this.open.set(owner, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(owner) ?? 1) - 1;
      if (left > 0) this.open.set(owner, left);
      else this.open.delete(owner);
    };
  }
}

/** A batch's answer for one item that failed on its own (the others still succeed). */
export class ItemFailure {
  constructor(readonly error: unknown) {}
}

/**
 * Group commit: items submitted while a flush is running wait and go together in the next one.
 * Under light load every item flushes alone at once; under heavy load statements carry many rows.
 * `flushBatch` answers item by item (an ItemFailure rejects just that item); if it throws, every
 * item of the batch is rejected.
 */
export class MicroBatcher<I, O> {
  private queue: Array<{ item: I; resolve: (value: O) => void; reject: (error: unknown) => void }> = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly flushBatch: (items: I[]) => Promise<Array<O | ItemFailure>>,
    private readonly maxBatch = 500,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.flushing ??= this.drain();
    });
  }

  /** Resolves once everything submitted so far is flushed. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    // Let the current tick's submissions join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.flushBatch(batch.map((entry) => entry.item));
          batch.forEach((entry, index) => {
            const result = results[index];
            if (result instanceof ItemFailure) entry.reject(result.error);
            else entry.resolve(result);
          });
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      this.flushing = null;
    }
  }
}

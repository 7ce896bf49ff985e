/**
 * Per-tenant backlog as this node knows it: the last count read from the database plus what this
 * node let through since. The check is a map lookup, so the submit path pays nothing per request; a
 * burst across nodes may overshoot the limit by what the others admitted within one refresh.
 */
export class BacklogCounter {
  private counted = new Map<string, number>();
  private admitted = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** false: the tenant is at its limit. */
  hasRoom(tenant: string): boolean {
    return (this.counted.get(tenant) ?? 0) + (this.admitted.get(tenant) ?? 0) < this.limit;
  }

  /** A submission was let through: counted until the next refresh has it from the database. */
  submitted(tenant: string): void {
    this.admitted.set(tenant, (this.admitted.get(tenant) ?? 0) + 1);
  }

  /** A fresh count from the database replaces what was counted and admitted before it was read. */
  refreshed(counts: Map<string, number>, admittedBeforeRead: Map<string, number>): void {
    this.counted = counts;
    for (const [tenant, n] of admittedBeforeRead) {
      const left = (this.admitted.get(tenant) ?? 0) - n;
      if (left > 0) this.admitted.set(tenant, left);
      else this.admitted.delete(tenant);
    }
  }

  snapshotAdmitted(): Map<string, number> {
    return new Map(this.admitted);
  }
}

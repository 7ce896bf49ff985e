/** Deletes up to `limit` expired items of one kind; returns how many it deleted. */
export interface Pruner {
  readonly name: string;
  prune(limit: number): Promise<number>;
}

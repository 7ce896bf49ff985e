import { Injectable } from '@nestjs/common';
import type { Pruner } from './pruner.js';

/** Features register what expires (finished jobs, results, delivery logs); the retention task runs them all. */
@Injectable()
export class RetentionRegistry {
  private readonly pruners: Pruner[] = [];

  register(pruner: Pruner): void {
    this.pruners.push(pruner);
  }

  all(): readonly Pruner[] {
    return this.pruners;
  }
}

import type { ChaosInfra } from './infra.js';
import type { Figures } from './report.js';
import type { ChaosScale } from './scale.js';

/** One fault and what it must show. */
export interface ChaosScenario {
  /** Key in chaos-report.json. */
  readonly name: string;
  /** The test's title: the guarantee it checks. */
  readonly title: string;
  readonly timeoutMs: (scale: ChaosScale) => number;
  run(infra: ChaosInfra, scale: ChaosScale, figures: Figures): Promise<void>;
}

/** A random integer in [min, max]. */
export function between([min, max]: readonly [number, number]): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

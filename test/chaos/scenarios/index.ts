import type { ChaosScenario } from '../support/scenario.js';
import { workerKills } from './worker-kills.js';

/** Every scenario, in the order a run executes them. */
export const SCENARIOS: readonly ChaosScenario[] = [workerKills];

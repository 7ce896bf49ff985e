import type { ChaosScenario } from '../support/scenario.js';
import { clockSkew } from './clock-skew.js';
import { frozenWorker } from './frozen-worker.js';
import { kafkaRestart } from './kafka-restart.js';
import { missingHandler } from './missing-handler.js';
import { poisonMessagesScenario } from './poison-messages.js';
import { postgresRestart } from './postgres-restart.js';
import { redisDown } from './redis-down.js';
import { workerKills } from './worker-kills.js';

/** Every scenario, in the order a run executes them. */
export const SCENARIOS: readonly ChaosScenario[] = [
  workerKills,
  frozenWorker,
  kafkaRestart,
  postgresRestart,
  redisDown,
  clockSkew,
  missingHandler,
  poisonMessagesScenario,
];

import { ChaosKafka, CHAOS_BROKER } from './chaos-kafka.js';
import { ChaosPostgres } from './chaos-postgres.js';
import { ChaosRedis } from './chaos-redis.js';

/** The suite's own PostgreSQL, Redis and Kafka broker, each on loopback and each ours to kill. */
export interface ChaosInfra {
  postgres: ChaosPostgres;
  redis: ChaosRedis;
  kafka: typeof ChaosKafka;
  brokers: string[];
}

/** Starts all three side by side; if one fails, whatever did start is torn down again. */
export async function startInfra(): Promise<ChaosInfra> {
  const [postgres, redis, kafka] = await Promise.allSettled([ChaosPostgres.start(), ChaosRedis.start(), ChaosKafka.start()]);
  if (postgres.status === 'fulfilled' && redis.status === 'fulfilled' && kafka.status === 'fulfilled') {
    return { postgres: postgres.value, redis: redis.value, kafka: ChaosKafka, brokers: [CHAOS_BROKER.address] };
  }
  await stopInfra({
    postgres: postgres.status === 'fulfilled' ? postgres.value : undefined,
    redis: redis.status === 'fulfilled' ? redis.value : undefined,
  });
  const reasons = [postgres, redis, kafka].filter((outcome) => outcome.status === 'rejected').map((outcome) => String(outcome.reason));
  throw new Error(`the chaos infrastructure did not start:\n${reasons.join('\n')}`);
}

/** Stops every server by pid (the broker through its pid file), whatever state it is in. */
export async function stopInfra(infra: Partial<Pick<ChaosInfra, 'postgres' | 'redis'>>): Promise<void> {
  await Promise.allSettled([infra.postgres?.destroy(), infra.redis?.stop(), ChaosKafka.destroy()]);
}

import type { FireTimes } from './cron-schedule.js';

export const MISFIRE_POLICIES = ['fire_once', 'skip'] as const;
export type MisfirePolicy = (typeof MISFIRE_POLICIES)[number];

export const OVERLAP_POLICIES = ['skip', 'allow'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

export interface PlannedFire {
  fireTime: Date;
  /** The one fire a `fire_once` schedule makes for a missed window (its fire time is the first missed one). */
  catchUp: boolean;
}

export interface Misfire {
  /** The fire time that should have happened first and did not. */
  firstMissed: Date;
  /** How late that fire is, in ms, at `now`. */
  lateByMs: number;
}

export interface FirePlan {
  fires: PlannedFire[];
  misfire: Misfire | null;
  /** What to store as the schedule's next fire time (null: the expression never fires again). */
  nextFireTime: Date | null;
}

export interface FirePlanInput {
  /** The stored next fire time: the earliest fire that has not happened yet. */
  nextFireTime: Date;
  /** The database clock. */
  now: Date;
  /** A fire later than this is a misfire; a fire late by less is simply made late. */
  graceMs: number;
  misfirePolicy: MisfirePolicy;
  /** Bounds the work of one evaluation; the rest stays due for the next. */
  maxFires: number;
}

/**
 * Decides what a schedule does when evaluated (Quartz's misfire handling, as a pure function):
 * - nothing due → nothing;
 * - due within the grace period → every due fire time fires (late, not missed);
 * - the first due fire is older than the grace period → a misfire: `fire_once` makes one catch-up fire
 *   for the whole missed window, `skip` makes none; either way the schedule resumes at the next future time.
 */
export function planFires(input: FirePlanInput, times: FireTimes): FirePlan {
  const { nextFireTime, now } = input;
  if (nextFireTime.getTime() > now.getTime()) return { fires: [], misfire: null, nextFireTime };

  const lateByMs = now.getTime() - nextFireTime.getTime();
  if (lateByMs > input.graceMs) {
    const fires =
      input.misfirePolicy === 'fire_once' ? [{ fireTime: nextFireTime, catchUp: true }] : [];
    return {
      fires,
      misfire: { firstMissed: nextFireTime, lateByMs },
      nextFireTime: times.nextAfter(now),
    };
  }

  const fires: PlannedFire[] = [];
  let next: Date | null = nextFireTime;
  while (next && next.getTime() <= now.getTime() && fires.length < input.maxFires) {
    fires.push({ fireTime: next, catchUp: false });
    next = times.nextAfter(next);
  }
  return { fires, misfire: null, nextFireTime: next };
}

/** overlapPolicy `skip`: no new fire while the previous fire's job is still going. */
export function skipForOverlap(
  policy: OverlapPolicy,
  previousJobFinished: boolean | null,
): boolean {
  switch (policy) {
    case 'allow':
      return false;
    case 'skip':
      return previousJobFinished === false;
  }
}

import { CronSchedule } from './cron-schedule.js';
import { planFires, skipForOverlap, type FirePlanInput } from './misfire-policy.js';

const everyTwoSeconds = CronSchedule.parse('*/2 * * * * *', 'UTC');
const t = (time: string) => new Date(`2026-05-01T${time}Z`);
const input = (over: Partial<FirePlanInput>): FirePlanInput => ({
  nextFireTime: t('12:00:00.000'),
  now: t('12:00:00.000'),
  graceMs: 30_000,
  misfirePolicy: 'fire_once',
  maxFires: 20,
  ...over,
});
const summary = (plan: ReturnType<typeof planFires>) => ({
  fires: plan.fires.map(
    (fire) => `${fire.fireTime.toISOString().slice(11, 19)}${fire.catchUp ? ' catch-up' : ''}`,
  ),
  misfire: plan.misfire ? plan.misfire.firstMissed.toISOString().slice(11, 19) : null,
  next: plan.nextFireTime?.toISOString().slice(11, 19) ?? null,
});

describe('planFires', () => {
  it('does nothing before the next fire time', () => {
    const plan = planFires(input({ now: t('11:59:59.999') }), everyTwoSeconds);
    expect(summary(plan)).toEqual({ fires: [], misfire: null, next: '12:00:00' });
  });

  it('fires on time and moves to the following fire time', () => {
    const plan = planFires(input({ now: t('12:00:00.400') }), everyTwoSeconds);
    expect(summary(plan)).toEqual({ fires: ['12:00:00'], misfire: null, next: '12:00:02' });
  });

  it('makes every fire that is late but within the grace period', () => {
    const plan = planFires(input({ now: t('12:00:05.000') }), everyTwoSeconds);
    expect(summary(plan)).toEqual({
      fires: ['12:00:00', '12:00:02', '12:00:04'],
      misfire: null,
      next: '12:00:06',
    });
  });

  it('treats a fire exactly at the grace limit as late, not missed', () => {
    const plan = planFires(input({ now: t('12:00:30.000'), maxFires: 100 }), everyTwoSeconds);
    expect(plan.misfire).toBeNull();
    expect(plan.fires).toHaveLength(16);
  });

  it('bounds late fires per evaluation and leaves the rest due', () => {
    const plan = planFires(input({ now: t('12:00:09.000'), maxFires: 2 }), everyTwoSeconds);
    expect(summary(plan)).toEqual({
      fires: ['12:00:00', '12:00:02'],
      misfire: null,
      next: '12:00:04',
    });
  });

  it('fire_once: after downtime, one catch-up fire for the whole missed window, then the next future time', () => {
    const plan = planFires(
      input({ now: t('12:10:00.500'), misfirePolicy: 'fire_once' }),
      everyTwoSeconds,
    );
    expect(summary(plan)).toEqual({
      fires: ['12:00:00 catch-up'],
      misfire: '12:00:00',
      next: '12:10:02',
    });
    expect(plan.misfire?.lateByMs).toBe(600_500);
  });

  it('skip: after downtime, no fire at all, straight to the next future time', () => {
    const plan = planFires(
      input({ now: t('12:10:00.500'), misfirePolicy: 'skip' }),
      everyTwoSeconds,
    );
    expect(summary(plan)).toEqual({ fires: [], misfire: '12:00:00', next: '12:10:02' });
  });

  it('a zero grace period makes any lateness a misfire', () => {
    const plan = planFires(
      input({ now: t('12:00:00.001'), graceMs: 0, misfirePolicy: 'skip' }),
      everyTwoSeconds,
    );
    expect(summary(plan)).toEqual({ fires: [], misfire: '12:00:00', next: '12:00:02' });
  });

  it('uses the misfire window of a daily schedule across a DST change', () => {
    const daily = CronSchedule.parse('30 2 * * *', 'Europe/Berlin');
    const plan = planFires(
      {
        nextFireTime: new Date('2026-03-28T01:30:00Z'),
        now: new Date('2026-03-29T12:00:00Z'),
        graceMs: 60_000,
        misfirePolicy: 'fire_once',
        maxFires: 5,
      },
      daily,
    );
    expect(plan.fires.map((fire) => fire.fireTime.toISOString())).toEqual([
      '2026-03-28T01:30:00.000Z',
    ]);
    expect(plan.nextFireTime?.toISOString()).toBe('2026-03-30T00:30:00.000Z');
  });

  it('stops when the expression never fires again', () => {
    const once = { nextAfter: () => null, nextN: () => [], previousBefore: () => null };
    const plan = planFires(input({ now: t('12:00:01.000') }), once);
    expect(plan.fires).toHaveLength(1);
    expect(plan.nextFireTime).toBeNull();
  });
});

describe('skipForOverlap', () => {
  it.each([
    ['skip', false, true],
    ['skip', true, false],
    ['skip', null, false],
    ['allow', false, false],
    ['allow', true, false],
    ['allow', null, false],
  ] as const)('policy %s with previous job finished=%p → skip=%p', (policy, finished, skip) => {
    expect(skipForOverlap(policy, finished)).toBe(skip);
  });
});

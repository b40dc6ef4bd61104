import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../../src/_lib/errors';
import { groupByCustomer, parseEvents } from '../../src/events/index';
import { onboardingProgress, onboardingSignal, parseMilestones } from '../../src/onboarding/index';
import { generateOnboardingEvents, SAMPLE_MILESTONES } from '../../src/sample/index';
import { nonFinite } from '../fairness/_finite';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const ev = (customerId: string, type: string, days: number, properties?: Record<string, unknown>) => ({
  customerId,
  type,
  timestamp: T0 + days * DAY,
  ...(properties ? { properties } : {}),
});

const MILESTONES = [...SAMPLE_MILESTONES];

describe('onboardingProgress', () => {
  it('dates milestones, time-to-value and stalls by hand', () => {
    const events = [
      ev('a', 'signup', 0),
      ev('a', 'login', 1, { userId: 'u1' }),
      ev('a', 'login', 2, { userId: 'u2' }),
      ev('a', 'login', 2, { userId: 'u2' }), // same user again: still 2 distinct
      ev('a', 'login', 5, { userId: 'u3' }),
      ev('a', 'feature_used', 8, { feature: 'integrations' }),
      ev('b', 'signup', 10),
      ev('b', 'login', 12, { userId: 'x' }), // then nothing: stalled since day 12
      ev('c', 'login', 3, { userId: 'y' }), // no start event
      ev('d', 'trial_started', 39),
      ev('d', 'login', 40, { userId: 'z' }), // exactly at asOf: counts
      ev('d', 'feature_used', 41, { feature: 'integrations' }), // after asOf: ignored
    ];
    const r = onboardingProgress(events, { milestones: MILESTONES, asOf: T0 + 40 * DAY });
    const [a, b, d] = r.customers;
    expect(a?.milestones.map((m) => m.days)).toEqual([1, 5, 8]);
    expect(a?.timeToValueDays).toBe(8);
    expect(a?.stalled).toBe(false);
    expect(b?.done).toBe(1);
    expect(b?.stalled).toBe(true);
    expect(b?.reason).toBe('no new milestone in 28 days; next: Three active users');
    expect(d?.milestones.map((m) => m.days)).toEqual([1, null, null]);
    expect(d?.stalled).toBe(false);
    expect(r.stalled).toBe(1);
    expect(r.warnings.map((w) => w.code)).toEqual(['no_start']);
    const all = r.cohorts.at(-1);
    expect(all?.cohort).toBe('(all)');
    // funnel: first login 3/3, three users 1/3, integration 1/3
    expect(all?.funnel.map((f) => f.reached)).toEqual([3, 1, 1]);
    // KM: a reaches value at day 8; b (30 days observed) and d (1 day) censored.
    // At day 8 at risk: a and b (d censored at 1) → Ŝ = 1 − 1/2 → reached share 0.5.
    expect(all?.timeToValue.days).toEqual([8]);
    expect(all?.timeToValue.reachedShare[0]).toBeCloseTo(0.5, 12);
    expect(r.cohorts.map((c) => c.cohort)).toEqual(['2025-01', '2025-02', '(all)']);
    expect(r.dataUsed).toEqual([
      'customerId',
      'properties.feature',
      'properties.userId',
      'timestamp',
      'type',
    ]);
    expect(nonFinite(r)).toEqual([]);
  });

  it('recovers the generator’s known completion rates and treats the unfinished as censored', () => {
    const s = generateOnboardingEvents({ customers: 2000, seed: 4, stepProbabilities: [0.9, 0.7, 0.5] });
    // Long after the last signup: everyone has had time (steps take ~7 days each).
    const late = onboardingProgress(s.events, { milestones: MILESTONES, asOf: '2026-06-01' });
    const all = late.cohorts.at(-1);
    const shares = all?.funnel.map((f) => f.share) ?? [];
    // true shares: 0.9, 0.63, 0.315; binomial SE at n = 2000 is at most 0.011
    expect(shares[0]).toBeCloseTo(0.9, 1);
    expect(Math.abs((shares[1] as number) - 0.63)).toBeLessThan(0.035);
    expect(Math.abs((shares[2] as number) - 0.315)).toBeLessThan(0.035);
    // Counted exactly as the truth says.
    expect(all?.funnel[2]?.reached).toBe(s.truth.filter((t) => t.steps[2] !== null).length);
    // Soon after the last signups, the naive share (reached / all) understates the eventual share;
    // Kaplan–Meier's at 120 days is close to the eventual one.
    const early = onboardingProgress(s.events, { milestones: MILESTONES, asOf: '2025-07-05' });
    const e = early.cohorts.at(-1);
    const naive = (e?.funnel[2]?.reached ?? 0) / (e?.n ?? 1);
    const km = e?.timeToValue;
    const days = km?.days ?? [];
    let k120 = 0;
    for (let k = 0; k < days.length; k++) if ((days[k] as number) <= 120) k120 = k;
    const at120 = km?.reachedShare[k120] as number;
    expect(naive).toBeLessThan(0.315 - 0.03);
    expect(Math.abs(at120 - 0.315)).toBeLessThan(0.04);
  });

  it('rejects bad milestones and options with located errors', () => {
    try {
      parseMilestones([
        { id: 'a', when: 'type ==' },
        { id: 'a', when: 'type == x', cnt: 2 },
      ]);
      expect.unreachable();
    } catch (e) {
      const paths = (e as ValidationError).issues.map((i) => i.path.join('.'));
      expect(paths).toContain('0.when');
      expect((e as ValidationError).message).toMatch(/did you mean "count"/);
    }
    expect(() => onboardingProgress([], { milestones: [], asOf: T0 })).toThrow(/non-empty/);
    expect(() => onboardingProgress([], { milestones: MILESTONES, asOf: T0, valueMilestone: 'x' })).toThrow(
      /valueMilestone/,
    );
    expect(() => onboardingProgress([], { milestones: MILESTONES, asOf: T0, stalDays: 3 } as never)).toThrow(
      /did you mean "stallDays"/,
    );
    const r = onboardingProgress([], { milestones: MILESTONES, asOf: T0 });
    expect(r.warnings.map((w) => w.code)).toEqual(['no_customers']);
    expect(nonFinite(r)).toEqual([]);
  });
});

describe('onboardingSignal', () => {
  it('scores the share of milestones reached in the first 90 days, null afterwards', () => {
    const events = [
      ev('a', 'signup', 0),
      ev('a', 'login', 1, { userId: 'u1' }),
      ev('b', 'signup', -200),
      ev('b', 'login', -199, { userId: 'v' }),
    ];
    const timelines = groupByCustomer(parseEvents(events).events);
    const sig = onboardingSignal(MILESTONES);
    const ctx = { asOf: T0 + 10 * DAY, profile: undefined, days: undefined };
    expect(sig.compute(timelines.get('a') as never, ctx)).toBeCloseTo(100 / 3, 12);
    expect(sig.compute(timelines.get('b') as never, ctx)).toBeNull();
    expect(sig.compute(timelines.get('a') as never, { ...ctx, asOf: T0 + DAY / 2 })).toBe(0);
    expect(sig.describe?.(50, { days: undefined })).toBe('50% of onboarding milestones reached');
  });
});

describe('onboardingSignal inside scoreHealth', () => {
  it('scores new customers by milestones reached and leaves older ones without data', async () => {
    const { scoreHealth } = await import('../../src/health/index');
    const events = [
      ev('a', 'signup', 0),
      ev('a', 'login', 1, { userId: 'u1' }),
      ev('b', 'signup', -200),
      ev('b', 'login', -199, { userId: 'v' }),
      ev('b', 'login', 5, { userId: 'v' }),
    ];
    const scorecard = {
      id: 'onboarding',
      bands: [
        { label: 'behind', min: 0 },
        { label: 'on track', min: 50 },
      ],
      groups: [
        {
          id: 'new',
          weight: 100,
          measures: [
            {
              id: 'onboarding',
              signal: 'onboarding',
              weight: 1,
              curve: { type: 'linear', worst: 0, best: 100 },
              missing: 'skip',
            },
          ],
        },
      ],
    };
    const scores = scoreHealth(parseEvents(events).events, {
      asOf: T0 + 10 * DAY,
      scorecard: scorecard as never,
      signals: { onboarding: onboardingSignal(MILESTONES) },
    });
    const byId = new Map(scores.map((s) => [s.customerId, s]));
    expect(byId.get('a')?.score).toBeCloseTo(100 / 3, 9); // 1 of 3 milestones
    expect(byId.get('a')?.band).toBe('behind');
    expect(byId.get('b')?.score ?? null).toBeNull(); // past 90 days: no data
  });
});

import { describe, expect, it } from 'vitest';
import type { CustomerEvent } from '../../src/events/types';
import { lowScoreAuc as rocAuc } from '../../src/health/_lowScoreAuc';
import { evaluateHealth } from '../../src/health/evaluateHealth';
import type { Scorecard } from '../../src/health/scorecardSchema';
import { AS_OF, ev, logins } from './_helpers';

describe('lowScoreAuc (health AUC: a lower score should mean churn)', () => {
  it('is the share of (churner, stayer) pairs where the churner scores lower, ties counting half', () => {
    expect(rocAuc([10, 20, 80, 90], [true, false, false, false])).toBe(1);
    expect(rocAuc([10, 20, 80, 90], [false, false, false, true])).toBe(0);
    // positives 20, 80; negatives 10, 90 → pairs (20<90 ✓, 20<10 ✗, 80<90 ✓, 80<10 ✗) → 0.5
    expect(rocAuc([10, 20, 80, 90], [false, true, true, false])).toBe(0.5);
    // one tie between positive 50 and negative 50, positive 50 < negative 70 → (0.5 + 1) / 2
    expect(rocAuc([50, 50, 70], [true, false, false])).toBe(0.75);
    expect(rocAuc([1, 2], [true, true])).toBeNull();
  });
});

describe('evaluateHealth', () => {
  const card: Scorecard = {
    id: 'e',
    groups: [
      {
        id: 'g',
        weight: 1,
        measures: [{ id: 'l', signal: 'logins', weight: 1, curve: { type: 'linear', worst: 0, best: 10 } }],
      },
    ],
  };
  // Ten customers: c0..c9 with 0..9 logins in the last 30 days (scores 0..90); c0, c1 and c5 cancel
  // within 90 days; c9 cancelled before asOf (left out).
  const events: CustomerEvent[] = [];
  for (let i = 0; i < 10; i++) {
    const id = `c${i}`;
    events.push(ev(id, 'subscription_started', 200, 100));
    events.push(ev(id, 'session', 2)); // activity, so 0 logins is data rather than "not tracked"
    events.push(...logins(id, i, Math.max(1, i), 1));
  }
  events.push(ev('c0', 'subscription_cancelled', -10), ev('c1', 'subscription_cancelled', -80));
  events.push(ev('c5', 'subscription_cancelled', -30), ev('c9', 'subscription_cancelled', 5));
  events.push(ev('c8', 'subscription_cancelled', -120)); // after the horizon: stays

  it('reports AUC, churn per band and lowest-decile lift (hand-computed)', () => {
    const r = evaluateHealth(events, { asOf: AS_OF, horizon: 90, scorecard: card });
    expect(r.n).toBe(9);
    expect(r.churned).toBe(3);
    // Churners score 0, 10, 50; stayers 20, 30, 40, 60, 70, 80.
    // Pairs churner < stayer: 0 → 6, 10 → 6, 50 → 3 (60, 70, 80) = 15 of 18
    expect(r.auc).toBeCloseTo(15 / 18, 12);
    expect(r.bands).toEqual([
      { band: 'at risk', n: 5, churned: 2, churnRate: 0.4 }, // 0, 10, 20, 30, 40
      { band: 'neutral', n: 3, churned: 1, churnRate: 1 / 3 }, // 50, 60, 70
      { band: 'healthy', n: 1, churned: 0, churnRate: 0 }, // 80
    ]);
    // Lowest decile: round(9 / 10) = 1 customer (score 0, churned) → rate 1, lift 1 / (3/9) = 3
    expect(r.lowestDecile).toEqual({ n: 1, churned: 1, churnRate: 1, lift: 3 });
  });

  it('uses given outcomes instead of cancellation events, and pools several snapshots', () => {
    const outcomes = new Map<string, number[]>([['c9', [AS_OF + 1000]]]);
    const r = evaluateHealth(events, { asOf: [AS_OF, AS_OF - 1000], horizon: 90, scorecard: card, outcomes });
    // c9 is still "cancelled at asOf" by its events, so it is left out; nobody else churns.
    expect(r.n).toBe(18);
    expect(r.churned).toBe(0);
    expect(r.auc).toBeNull();
    expect(r.reason).toBe('no customer churned within the horizon');
  });
});

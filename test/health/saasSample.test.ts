/**
 * The default scorecard and suggestWeights on the generated SaaS sample (ground truth from the
 * generator: usage decays for weeks before a cancellation; tickets, surveys and failed payments
 * correlate with risk). Prints the figures.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { parseEvents } from '../../src/events/parseEvents';
import { parseProfiles } from '../../src/events/parseProfiles';
import type { CustomerProfile, CustomerTimelines } from '../../src/events/types';
import { evaluateHealth } from '../../src/health/evaluateHealth';
import { suggestWeights } from '../../src/health/suggestWeights';
import { generateSaasEvents } from '../../src/sample/index';

/** Monthly snapshots 2024-04-01 … 2025-09-01 (18), each followed by a full 90-day outcome window. */
const SNAPSHOTS = Array.from({ length: 18 }, (_, i) =>
  new Date(Date.UTC(2024, 3 + i, 1)).toISOString().slice(0, 10),
);
let timelines: CustomerTimelines;
let profiles: CustomerProfile[];

beforeAll(() => {
  const sample = generateSaasEvents({ customers: 1500, seed: 42 });
  const parsed = parseEvents(sample.events);
  expect(parsed.rejected).toHaveLength(0);
  timelines = groupByCustomer(parsed.events);
  profiles = parseProfiles(sample.profiles).profiles;
}, 120_000);

describe('health on the generated SaaS sample (1,500 accounts, seed 42)', () => {
  it('ranks customers cancelling within 90 days below those who stay (default scorecard, no tuning): AUC >= 0.75', () => {
    const pooled = evaluateHealth(timelines, { asOf: SNAPSHOTS, horizon: 90, profiles });
    const single = ['2024-07-01', '2025-01-01', '2025-07-01'].map(
      (asOf) => evaluateHealth(timelines, { asOf, horizon: 90, profiles }).auc,
    );
    console.log(
      `[health] default scorecard ROC AUC (90-day cancellation): pooled ${pooled.auc?.toFixed(4)} over ` +
        `${pooled.n} customer-snapshots (${pooled.churned} churned); single snapshots 2024-07-01 / 2025-01-01 / 2025-07-01: ${single.map((a) => a?.toFixed(3)).join(' / ')}; ` +
        `lowest-decile lift ${pooled.lowestDecile.lift?.toFixed(2)}; churn by band ${pooled.bands
          .map((b) => `${b.band} ${((b.churnRate ?? 0) * 100).toFixed(1)}% of ${b.n}`)
          .join(', ')}`,
    );
    expect(pooled.auc).toBeGreaterThanOrEqual(0.75);
    // Bands are ordered by risk and the riskiest decile churns far above the base rate.
    const [risk, neutral, healthy] = pooled.bands.map((b) => b.churnRate ?? 0);
    expect(risk).toBeGreaterThan(neutral as number);
    expect(neutral).toBeGreaterThan(healthy as number);
    expect(pooled.lowestDecile.lift).toBeGreaterThan(3);
  });

  it('suggestWeights improves the held-out AUC', () => {
    const s = suggestWeights(timelines, { asOf: SNAPSHOTS, horizon: 90, profiles, seed: 1 });
    console.log(
      `[health] suggestWeights held-out AUC ${s.auc.before?.toFixed(4)} → ${s.auc.after?.toFixed(4)} ` +
        `(train ${s.trainAuc.before?.toFixed(4)} → ${s.trainAuc.after?.toFixed(4)}; ${s.n.train} train / ${s.n.test} held-out ` +
        `customer-snapshots, l2 ${s.l2 ?? 'kept current weights'} by cross-validation, ${s.iterations} Newton iterations)`,
    );
    expect(s.auc.after).toBeGreaterThan(s.auc.before as number);
    expect(s.weights.every((w) => w.coefficient >= 0 && w.after >= 0)).toBe(true);
    expect(s.weights.reduce((a, w) => a + w.after, 0)).toBeCloseTo(1, 9);
    // The fitted scorecard is a valid scorecard with the same measures.
    const ev = evaluateHealth(timelines, { asOf: SNAPSHOTS, horizon: 90, profiles, scorecard: s.scorecard });
    expect(ev.auc).not.toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { InsufficientDataError, ValidationError } from '../../src/_lib/errors';
import { createRng } from '../../src/_lib/random';
import type { CustomerEvent } from '../../src/events/types';
import type { Scorecard } from '../../src/health/scorecardSchema';
import { suggestWeights } from '../../src/health/suggestWeights';
import { DAY } from '../helpers/events';
import { AS_OF, ev } from './_helpers';

/** One measure: latest NPS, 0 points below 5, 100 points from 5. */
const npsOnly: Scorecard = {
  id: 'n',
  groups: [
    {
      id: 'g',
      weight: 1,
      measures: [
        {
          id: 'nps',
          signal: 'npsLatest',
          weight: 1,
          curve: { type: 'step', thresholds: [5], points: [0, 100] },
        },
      ],
    },
  ],
};

/** 40 promoters (NPS 9, score 100) of whom 10 churn, 40 detractors (NPS 2, score 0) of whom 30 churn. */
function data(): { events: CustomerEvent[]; outcomes: Map<string, number[]>; churned: Set<string> } {
  const events: CustomerEvent[] = [];
  const outcomes = new Map<string, number[]>();
  const churned = new Set<string>();
  for (let i = 0; i < 80; i++) {
    const id = `c${String(i).padStart(2, '0')}`;
    const promoter = i < 40;
    events.push(ev(id, 'nps_response', 5, promoter ? 9 : 2));
    const churns = promoter ? i < 10 : i < 70;
    if (churns) {
      outcomes.set(id, [AS_OF + 30 * DAY]);
      churned.add(id);
    }
  }
  return { events, outcomes, churned };
}

const logit = (p: number) => Math.log(p / (1 - p));

describe('suggestWeights', () => {
  it('fits the hand-solved maximum-likelihood coefficient on a single binary measure (l2 = 0)', () => {
    const { events, outcomes, churned } = data();
    const s = suggestWeights(events, {
      asOf: AS_OF,
      scorecard: npsOnly,
      outcomes,
      l2: 0,
      seed: 7,
      holdout: 0.25,
    });
    // Reproduce the seeded split by customer (sorted ids, shuffled, the first 25% held out).
    const ids = Array.from({ length: 80 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    createRng(7).shuffle(ids);
    const test = new Set(ids.slice(0, 20));
    const share = (promoter: boolean) => {
      const rows = ids.filter((id) => !test.has(id) && Number(id.slice(1)) < 40 === promoter);
      return rows.filter((id) => churned.has(id)).length / rows.length;
    };
    // P(churn) = σ(b − β x), x ∈ {0, 1}: the MLE matches each group's churn share exactly, so
    // b = logit(p_detractors) and β = logit(p_detractors) − logit(p_promoters).
    const pD = share(false);
    const pP = share(true);
    expect(s.n.train).toBe(60);
    expect(s.intercept).toBeCloseTo(logit(pD), 6);
    expect(s.weights[0]?.coefficient).toBeCloseTo(logit(pD) - logit(pP), 6);
    expect(s.weights[0]?.after).toBe(1);
    expect(s.l2).toBe(0);
    expect(s.warnings).toEqual([]);
  });

  it('fails with InsufficientDataError when the training set has no churner', () => {
    const { events } = data();
    expect(() => suggestWeights(events, { asOf: AS_OF, scorecard: npsOnly, outcomes: new Map() })).toThrow(
      InsufficientDataError,
    );
    expect(() => suggestWeights(events, { asOf: AS_OF, scorecard: npsOnly, outcomes: new Map() })).toThrow(
      /the training set needs both churners and stayers \(0 of \d+ churned\)/,
    );
  });

  it('rejects invalid options with the option named', () => {
    const { events, outcomes } = data();
    const base = { asOf: AS_OF, scorecard: npsOnly, outcomes };
    expect(() => suggestWeights(events, { ...base, holdout: 1 })).toThrow(
      /option "holdout" must be in \(0, 1\)/,
    );
    expect(() => suggestWeights(events, { ...base, l2: -1 })).toThrow(/option "l2"/);
    expect(() => suggestWeights(events, { ...base, horizon: 0 })).toThrow(/option "horizon"/);
    expect(() => suggestWeights(events, { ...base, holdOut: 0.2 } as never)).toThrow(
      /unknown option "holdOut"; did you mean "holdout"\?/,
    );
    expect(() =>
      suggestWeights(events, { ...base, scorecard: { rules: [], default: npsOnly } as never }),
    ).toThrow(/must be a single scorecard/);
    expect(() => suggestWeights(null as never, base)).toThrow(ValidationError);
  });
});

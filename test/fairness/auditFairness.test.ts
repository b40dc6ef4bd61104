import { describe, expect, it } from 'vitest';
import { rocAucInterval } from '../../src/_lib/auc';
import type { ValidationError } from '../../src/_lib/errors';
import { createRng } from '../../src/_lib/random';
import { auditFairness } from '../../src/fairness/index';
import { nonFinite } from './_finite';

const TINY = {
  probabilities: [0.9, 0.8, 0.2, 0.1, 0.9, 0.3, 0.2, 0.1],
  outcomes: [1, 0, 0, 0, 1, 0, 0, 0],
  groups: ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'],
};

/** n customers in groups A/B; true risk p ~ U(0, 1), outcome ~ Bernoulli(p); B's prediction shifted by `shiftB`. */
function simulate(n: number, shiftB: number, seed: number) {
  const rng = createRng(seed);
  const probabilities: number[] = [];
  const outcomes: number[] = [];
  const groups: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = i % 2 === 0 ? 'A' : 'B';
    const p = rng.next();
    outcomes.push(rng.next() < p ? 1 : 0);
    probabilities.push(g === 'B' ? Math.min(1, p + shiftB) : p);
    groups.push(g);
  }
  return { probabilities, outcomes, groups };
}

describe('the DeLong interval the audit relies on (src/_lib/auc.ts)', () => {
  it('matches the hand-computed AUC and DeLong variance', () => {
    // positives 0.35, 0.8; negatives 0.1, 0.4. V10 = [0.5, 1], V01 = [1, 0.5]; s² = 0.125 each; var = 0.125/2 + 0.125/2.
    const r = rocAucInterval([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(r?.auc).toBeCloseTo(0.75, 12);
    expect((r?.se as number) ** 2).toBeCloseTo(0.125, 12);
  });
});

describe('auditFairness', () => {
  it('computes per-group figures and gaps by hand on a tiny table', () => {
    const r = auditFairness(TINY, { minGroupSize: 1 });
    const [a, b] = r.groups;
    // a: selected [1,1,0,0] → 0.5; TPR 1/1; FPR 1/3. b: selected [1,0,0,0] → 0.25; TPR 1; FPR 0.
    expect([a?.selectionRate, a?.truePositiveRate, a?.falsePositiveRate]).toEqual([0.5, 1, 1 / 3]);
    expect([b?.selectionRate, b?.truePositiveRate, b?.falsePositiveRate]).toEqual([0.25, 1, 0]);
    expect(a?.baseRate).toBe(0.25);
    expect(a?.auc).toBe(1);
    // calibration-in-the-large: a mean p 2.0/4 − 1/4 = 0.25; b 1.5/4 − 1/4 = 0.125.
    expect(a?.calibrationInTheLarge).toBeCloseTo(0.25, 12);
    expect(b?.calibrationInTheLarge).toBeCloseTo(0.125, 12);
    expect(r.reference).toBe('a');
    // b − a selection: −0.25, SE = √(0.25·0.75/4 + 0.5·0.5/4) = √0.109375
    const dp = b?.gaps?.selectionRate;
    expect(dp?.difference).toBeCloseTo(-0.25, 12);
    expect(dp?.interval[1]).toBeCloseTo(-0.25 + 1.959963984540054 * Math.sqrt(0.109375), 12);
    expect(dp?.significant).toBe(false);
    // FPR gap 0 − 1/3, SE = √((1/3)(2/3)/3)
    expect(b?.gaps?.falsePositiveRate?.difference).toBeCloseTo(-1 / 3, 12);
    expect(b?.gaps?.falsePositiveRate?.interval[0]).toBeCloseTo(
      -1 / 3 - 1.959963984540054 * Math.sqrt(2 / 27),
      12,
    );
    expect(r.demographicParityDifference?.difference).toBeCloseTo(0.25, 12);
    expect(r.equalisedOddsDifference?.difference).toBeCloseTo(1 / 3, 12);
    expect(r.flags.map((f) => [f.metric, f.group, f.significant])).toEqual([
      ['demographic_parity', 'b', false],
      ['equalised_odds', 'b', false],
    ]);
    expect(r.flags[0]?.message).toMatch(/not significant/);
    expect(a?.calibration).toHaveLength(10);
    expect(a?.calibration.reduce((s, c) => s + c.n, 0)).toBe(4);
  });
  it('finds a deliberately biased score’s known selection gap (0.7 − 0.5 = 0.2) and flags it as significant', () => {
    const r = auditFairness(simulate(4000, 0.2, 3));
    const gapB = r.groups.find((g) => g.group === 'B')?.gaps?.selectionRate;
    expect(gapB?.interval[0]).toBeLessThan(0.2);
    expect(gapB?.interval[1]).toBeGreaterThan(0.2);
    expect(r.flags.some((f) => f.metric === 'demographic_parity' && f.group === 'B' && f.significant)).toBe(
      true,
    );
    expect(r.flags.some((f) => f.metric === 'equalised_odds' && f.significant)).toBe(true);
  });
  it('does not flag an unbiased score', () => {
    const r = auditFairness(simulate(4000, 0, 3));
    expect(r.flags).toEqual([]);
    const gapB = r.groups.find((g) => g.group === 'B')?.gaps?.selectionRate;
    expect(gapB?.interval[0]).toBeLessThan(0);
    expect(gapB?.interval[1]).toBeGreaterThan(0);
    expect(r.warnings).toEqual([]);
  });
  it('reports small groups without judging them, and audits health scores (low = selected)', () => {
    const r = auditFairness(
      { scores: [20, 80, 35, 90, 10], outcomes: [1, 0, 1, 0, 1], groups: ['x', 'x', 'x', 'x', 'y'] },
      { threshold: 40, minGroupSize: 2 },
    );
    const x = r.groups[0];
    expect(x?.selectionRate).toBe(0.5);
    expect(x?.truePositiveRate).toBe(1);
    expect(x?.auc).toBe(1); // low scores churned
    expect(x?.calibrationInTheLarge).toBeNull();
    expect(r.groups[1]?.judged).toBe(false);
    expect(r.groups[1]?.auc).toBeNull();
    expect(r.demographicParityDifference).toBeNull();
    expect(r.warnings.map((w) => w.code).sort()).toEqual([
      'scores_not_probabilities',
      'single_class_group',
      'small_group',
      'too_few_groups',
    ]);
  });
  it('rejects bad input with located errors', () => {
    expect(() => auditFairness({ ...TINY, scores: TINY.probabilities })).toThrow(/exactly one/);
    expect(() => auditFairness({ scores: [1], outcomes: [1], groups: ['a'] })).toThrow(
      /"threshold" is required/,
    );
    expect(() => auditFairness({ ...TINY, group: [] } as never)).toThrow(/did you mean "groups"/);
    expect(() => auditFairness(TINY, { minGroupSise: 3 } as never)).toThrow(/did you mean "minGroupSize"/);
    expect(() => auditFairness(TINY, { limits: { parity: 1 } } as never)).toThrow(/unknown option "parity"/);
    expect(() => auditFairness(TINY, { reference: 'zz' })).toThrow(/reference/);
    try {
      auditFairness({ probabilities: [0.2, 1.5], outcomes: [1, 2], groups: ['a', ''] });
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).issues.map((i) => i.path.join('.'))).toEqual([
        'probabilities.1',
        'outcomes.1',
        'groups.1',
      ]);
    }
    expect(() => auditFairness({ probabilities: [0.2], outcomes: [1, 0], groups: ['a'] })).toThrow(
      /outcomes/,
    );
  });
  it('never returns NaN on an empty input', () => {
    const r = auditFairness({ probabilities: [], outcomes: [], groups: [] });
    expect(r.groups).toEqual([]);
    expect(nonFinite(r)).toEqual([]);
    expect(nonFinite(auditFairness(TINY, { minGroupSize: 1 }))).toEqual([]);
    expect(
      nonFinite(
        auditFairness(
          { scores: [1, 2], outcomes: [0, 0], groups: ['a', 'b'] },
          { threshold: 1, minGroupSize: 1 },
        ),
      ),
    ).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { rollupHealth } from '../../src/health/rollupHealth';
import type { Scorecard } from '../../src/health/scorecardSchema';
import { scoreHealth } from '../../src/health/scoreHealth';
import { AS_OF, logins } from './_helpers';

const card: Scorecard = {
  id: 'r',
  groups: [
    {
      id: 'g',
      weight: 1,
      measures: [{ id: 'l', signal: 'logins', weight: 1, curve: { type: 'linear', worst: 0, best: 10 } }],
    },
  ],
};
// Scores: a 80 (8 logins), b 20 (2 logins), c 50 (5 logins).
const events = [...logins('a', 8, 8, 1), ...logins('b', 2, 2, 1), ...logins('c', 5, 5, 1)];
const scores = scoreHealth(events, { asOf: AS_OF, scorecard: card });

describe('rollupHealth', () => {
  it('weights child scores by MRR', () => {
    const [p] = rollupHealth(scores, [
      { customerId: 'a', parentId: 'p', mrr: 3000 },
      { customerId: 'b', parentId: 'p', mrr: 1000 },
      { customerId: 'c' },
    ]);
    // (3000 × 80 + 1000 × 20) / 4000 = 65
    expect(p?.parentId).toBe('p');
    expect(p?.score).toBeCloseTo(65, 10);
    expect(p?.band).toBe('neutral');
    expect(p?.weighting).toBe('mrr');
    expect(p?.children.map((c) => [c.customerId, c.weight])).toEqual([
      ['a', 0.75],
      ['b', 0.25],
    ]);
  });

  it('falls back to equal weights without MRR and lists unscored children', () => {
    const [p] = rollupHealth(scores, [
      { customerId: 'a', parentId: 'p' },
      { customerId: 'c', parentId: 'p' },
    ]);
    expect(p?.weighting).toBe('equal');
    expect(p?.score).toBeCloseTo(65, 10); // (80 + 50) / 2
    const [q] = rollupHealth([], [{ customerId: 'z', parentId: 'q' }]);
    expect(q).toBeUndefined(); // no scored child at all → no parent row
  });
});

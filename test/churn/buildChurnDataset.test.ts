import { describe, expect, it } from 'vitest';
import { buildChurnDataset } from '../../src/churn/buildChurnDataset';
import type { CustomerEvent } from '../../src/events/types';
import { evNoon } from '../helpers/events';

const events: CustomerEvent[] = [
  evNoon('a', 'subscription_started', '2025-01-01', 100, { plan: 'pro' }),
  evNoon('a', 'subscription_cancelled', '2025-06-10'),
  evNoon('b', 'subscription_started', '2025-02-01', 50, { plan: 'basic' }),
  evNoon('gone', 'subscription_started', '2024-01-01', 50),
  evNoon('gone', 'subscription_cancelled', '2024-06-01'),
  evNoon('later', 'subscription_started', '2025-06-05', 10),
];

describe('buildChurnDataset', () => {
  it('joins labels and pre-asOf features; customers without a label are left out', () => {
    const ds = buildChurnDataset(events, { asOf: '2025-06-01', horizon: 30 });
    expect(ds.rows.map((r) => [r.customerId, r.churned])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    expect(ds.positives).toBe(1);
    // Features come from before asOf: a's cancellation on 06-10 is not visible in them.
    expect(ds.rows[0]?.features.mrr).toBe(100);
    expect(ds.rows[0]?.features.plan).toBe('pro');
    expect(ds.horizonEnd).toBe(Date.parse('2025-07-01T00:00:00Z'));
  });

  it('gives no rows (not an error) when nobody is active', () => {
    expect(buildChurnDataset(events, { asOf: '2023-01-01', horizon: 30 }).rows).toEqual([]);
  });
});

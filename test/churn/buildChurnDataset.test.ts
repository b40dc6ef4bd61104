import { describe, expect, it } from 'vitest';
import { buildChurnDataset } from '../../src/churn/buildChurnDataset';
import type { CustomerEvent } from '../../src/events/types';

const t = (iso: string) => Date.parse(`${iso}T12:00:00Z`);
const events: CustomerEvent[] = [
  {
    customerId: 'a',
    type: 'subscription_started',
    timestamp: t('2025-01-01'),
    value: 100,
    properties: { plan: 'pro' },
  },
  { customerId: 'a', type: 'subscription_cancelled', timestamp: t('2025-06-10') },
  {
    customerId: 'b',
    type: 'subscription_started',
    timestamp: t('2025-02-01'),
    value: 50,
    properties: { plan: 'basic' },
  },
  { customerId: 'gone', type: 'subscription_started', timestamp: t('2024-01-01'), value: 50 },
  { customerId: 'gone', type: 'subscription_cancelled', timestamp: t('2024-06-01') },
  { customerId: 'later', type: 'subscription_started', timestamp: t('2025-06-05'), value: 10 },
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

import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/_lib/random';
import { acquisitionMetrics } from '../../src/acquisition/index';
import { nonFinite } from '../fairness/_finite';

const ev = (customerId: string, type: string, ts: string, value?: number, channel?: string) => ({
  customerId,
  type,
  timestamp: ts,
  ...(value === undefined ? {} : { value }),
  ...(channel === undefined ? {} : { properties: { channel } }),
});

const TINY = [
  ev('a', 'trial_started', '2025-01-02', undefined, 'ads'),
  ev('a', 'subscription_started', '2025-01-05', 100),
  ev('b', 'trial_started', '2025-01-06', undefined, 'ads'),
  ev('b', 'subscription_started', '2025-01-20', 50),
  ev('c', 'trial_started', '2025-01-07', undefined, 'ads'), // never pays
  ev('d', 'signup', '2025-01-10', undefined, 'partners'),
  ev('d', 'subscription_started', '2025-02-01', 300), // acquired in February
  ev('e', 'trial_started', '2025-02-03', undefined, 'ads'),
  ev('e', 'subscription_started', '2025-03-05', 80), // after asOf: not counted
];
const SPEND = [
  { period: '2025-01', channel: 'ads', amount: 600 },
  { period: '2025-01', channel: 'partners', amount: 100 },
  { period: '2025-02', channel: 'partners', amount: 900 },
  { period: '2025-02', channel: 'ads', amount: 400 },
];

describe('acquisitionMetrics', () => {
  const r = acquisitionMetrics(TINY, {
    spend: SPEND,
    grossMargin: 0.8,
    asOf: '2025-03-01',
    clv: [
      { customerId: 'a', clv: 1200 },
      { customerId: 'b', clv: 600 },
      { customerId: 'd', clv: 5400 },
    ],
    clvSource: 'test values',
  });
  const cell = (p: string, ch: string) => r.cells.find((c) => c.period === p && c.channel === ch);

  it('computes CAC, payback and LTV:CAC by hand on a tiny table', () => {
    // 2025-01 ads: 600 / 2 (a, b) = 300; monthly margin 0.8 × (100 + 50)/2 = 60 → payback 5; LTV (1200+600)/2 = 900 → 3.
    const jan = cell('2025-01', 'ads');
    expect(jan?.newCustomers).toBe(2);
    expect(jan?.cac).toBe(300);
    expect(jan?.monthlyMarginPerCustomer).toBeCloseTo(60, 12);
    expect(jan?.paybackMonths).toBeCloseTo(5, 12);
    expect(jan?.ltvToCac).toBeCloseTo(3, 12);
    expect(jan?.basis).toBe('mrr');
    // trials in January through ads: a, b, c; a and b paid → 2/3.
    expect(jan?.trialToPaid.n).toBe(3);
    expect(jan?.trialToPaid.rate).toBeCloseTo(2 / 3, 12);
    expect(jan?.visitToPurchase.rate).toBeNull();
    expect(jan?.visitToPurchase.reason).toMatch(/no visit/);
    // 2025-02 partners: 900 / 1 (d); payback 900 / (0.8 × 300) = 3.75; LTV 5400/900 = 6.
    const feb = cell('2025-02', 'partners');
    expect([feb?.cac, feb?.paybackMonths, feb?.ltvToCac]).toEqual([900, 3.75, 6]);
    // 2025-01 partners: spend, nobody acquired (d paid in February).
    expect(cell('2025-01', 'partners')?.cac).toBeNull();
    expect(cell('2025-01', 'partners')?.reasons[0]).toMatch(/CAC is undefined/);
    // 2025-02 ads: e's trial, not paid by asOf → 0/1; 400 spend, no customer.
    expect(cell('2025-02', 'ads')?.trialToPaid.rate).toBe(0);
    // Totals: 2000 / 3 customers.
    expect(r.total.cac).toBeCloseTo(2000 / 3, 12);
    expect(r.periods.map((p) => [p.period, p.spend, p.newCustomers])).toEqual([
      ['2025-01', 700, 2],
      ['2025-02', 1300, 1],
    ]);
    expect(r.ltvSource).toBe('test values');
    expect(r.warnings.map((w) => w.code)).toEqual(['spend_without_customers']);
    expect(nonFinite(r)).toEqual([]);
  });

  it('recovers a known CAC from generated spend and sign-ups', () => {
    // Per month and channel: k customers, spend = k × true CAC.
    const rng = createRng(9);
    const trueCac: Record<string, number> = { ads: 420, events: 1300, seo: 90 };
    const events = [];
    const spend = [];
    let id = 0;
    for (let m = 1; m <= 6; m++) {
      for (const ch of Object.keys(trueCac)) {
        const k = 5 + rng.int(20);
        for (let j = 0; j < k; j++) {
          const cid = `c${id++}`;
          const day = 1 + rng.int(27);
          const ts = `2025-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          events.push(ev(cid, 'signup', ts, undefined, ch), ev(cid, 'subscription_started', ts, 200));
        }
        spend.push({
          period: `2025-${String(m).padStart(2, '0')}`,
          channel: ch,
          amount: k * (trueCac[ch] as number),
        });
      }
    }
    const res = acquisitionMetrics(events, { spend, asOf: '2025-12-31', grossMargin: 0.5 });
    for (const c of res.cells) expect(c.cac).toBeCloseTo(trueCac[c.channel] as number, 9);
    // payback: CAC / (0.5 × 200)
    for (const c of res.cells) expect(c.paybackMonths).toBeCloseTo((trueCac[c.channel] as number) / 100, 9);
    expect(res.warnings.map((w) => w.code)).toEqual(['clv_missing']);
  });

  it('uses purchase margin for purchase-only data and quarters', () => {
    const events = [
      ev('x', 'visit', '2025-01-01', undefined, 'seo'),
      ev('x', 'purchase', '2025-01-01', 60),
      ev('x', 'purchase', '2025-02-01', 60),
      ev('y', 'visit', '2025-02-01', undefined, 'seo'),
    ];
    const res = acquisitionMetrics(events, {
      spend: [{ period: '2025-Q1', channel: 'seo', amount: 50 }],
      period: 'quarter',
      asOf: '2025-04-01',
    });
    const c = res.cells[0];
    expect(c?.basis).toBe('purchases');
    expect(c?.cac).toBe(50);
    // x: 120 over (asOf − first purchase) = 90 days = 90 / 30.436875 months.
    expect(c?.monthlyMarginPerCustomer).toBeCloseTo(120 / (90 / 30.436875), 9);
    expect(c?.visitToPurchase.rate).toBe(0.5);
    expect(res.warnings.map((w) => w.code)).toContain('margin_assumed');
  });

  it('rejects bad spend rows and options with located errors', () => {
    expect(() =>
      acquisitionMetrics(TINY, { spend: [{ period: '2025-13', amount: -1 }], asOf: '2025-03-01' }),
    ).toThrow(/spend\.0\.period|row|period must/);
    expect(() => acquisitionMetrics(TINY, { spend: [], asOf: '2025-03-01', grossMargin: 0 })).toThrow(
      /grossMargin/,
    );
    expect(() =>
      acquisitionMetrics(TINY, { spend: [], asOf: '2025-03-01', perod: 'month' } as never),
    ).toThrow(/did you mean "period"/);
    expect(() => acquisitionMetrics(TINY, { spend: [] } as never)).toThrow(/"asOf" is required/);
    expect(() =>
      acquisitionMetrics([{ customerId: 'a', type: 'x', timestamp: 'no' }], { spend: [], asOf: 1 }),
    ).toThrow(/row 0/);
  });
});

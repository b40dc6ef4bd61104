import { describe, expect, it } from 'vitest';
import {
  churnFeatures,
  computeSignals,
  groupByCustomer,
  historicalClv,
  parseEvents,
  rfmScores,
  rfmSummary,
  supportMetrics,
} from '../src/index';

/**
 * One meaning of `asOf` everywhere (#12): an event stamped exactly at `asOf` has happened and
 * counts; an event 1 ms later does not. Customer "a" bought 40 days before asOf and exactly at
 * asOf, logged in and opened a ticket exactly at asOf, and then (1 ms after asOf) bought for 1000
 * and logged in again; customer "b" bought once, 100 days before.
 */
const DAY = 86_400_000;
const asOf = Date.UTC(2025, 5, 1);
const { events } = parseEvents([
  { customerId: 'a', type: 'purchase', timestamp: asOf - 40 * DAY, value: 10 },
  { customerId: 'a', type: 'purchase', timestamp: asOf, value: 20 },
  { customerId: 'a', type: 'login', timestamp: asOf },
  { customerId: 'a', type: 'ticket_opened', timestamp: asOf, properties: { ticketId: 't1' } },
  { customerId: 'a', type: 'purchase', timestamp: asOf + 1, value: 1000 },
  { customerId: 'a', type: 'login', timestamp: asOf + 1 },
  { customerId: 'b', type: 'purchase', timestamp: asOf - 100 * DAY, value: 5 },
]);

describe('an event exactly at asOf counts, one a millisecond later does not, in every module', () => {
  it('metrics: the ticket opened at asOf is open at asOf', () => {
    const s = supportMetrics(events, { asOf });
    expect(s.opened).toBe(1);
    expect(s.openAtAsOf).toBe(1);
  });
  it('health: the login at asOf is a login, and activity was 0 days ago', () => {
    const s = computeSignals(groupByCustomer(events).get('a'), { asOf });
    expect(s.logins).toBe(1); // the login at asOf + 1 ms is not counted
    expect(s.daysSinceActivity).toBe(0);
  });
  it('churn: two purchases, the last one 0 days ago', () => {
    const t = churnFeatures(events, { asOf });
    const i = t.customerIds.indexOf('a');
    expect(t.columns.purchases?.[i]).toBe(2);
    expect(t.columns.daysSinceLastPurchase?.[i]).toBe(0);
    expect(t.columns.monetary?.[i]).toBe(30); // 10 + 20, not the 1000 after asOf
  });
  it('clv: one repeat purchase at T (recency = T = 40 days), net value 30', () => {
    const a = rfmSummary(events, { asOf, timeUnit: 'days' }).customers.find((c) => c.customerId === 'a');
    expect(a).toMatchObject({ frequency: 1, recency: 40, T: 40, totalValue: 30 });
    const h = historicalClv(events, { asOf }).customers.find((c) => c.customerId === 'a');
    expect(h).toMatchObject({ value: 30, purchases: 2 });
  });
  it('segment: recency 0 days, frequency 2, monetary 30', () => {
    const a = rfmScores(events, { asOf }).customers.find((c) => c.customerId === 'a');
    expect(a).toMatchObject({ recencyDays: 0, frequency: 2, monetary: 30 });
  });
});

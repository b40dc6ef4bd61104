import { describe, expect, it } from 'vitest';
import { groupByCustomer, parseEvents, parseProfiles } from '../../src/events/index';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample/index';

const DAY = 86_400_000;

describe('generateSaasEvents', () => {
  const sample = generateSaasEvents({ customers: 120, seed: 11 });
  const parsed = parseEvents(sample.events);
  const timelines = groupByCustomer(parsed.events);

  it('produces only valid events and profiles with unique event ids', () => {
    expect(parsed.stats.rejected).toBe(0);
    expect(parsed.stats.unknownTypes).toBe(0);
    expect(parseProfiles(sample.profiles).stats.rejected).toBe(0);
    expect(sample.truth).toHaveLength(120);
  });
  it('is deterministic for a seed and differs across seeds', () => {
    const again = generateSaasEvents({ customers: 120, seed: 11 });
    expect(again.events).toEqual(sample.events);
    expect(generateSaasEvents({ customers: 120, seed: 12 }).events.length).not.toBe(sample.events.length);
  });
  it('generates account i the same whatever the number of accounts', () => {
    const small = generateSaasEvents({ customers: 10, seed: 11 });
    const first = (s: typeof small) => s.events.filter((e) => e.customerId === 'acct_0003');
    expect(first(small)).toEqual(first(sample));
  });
  it('emits the whole vocabulary', () => {
    for (const t of [
      'login',
      'feature_used',
      'ticket_opened',
      'ticket_first_response',
      'ticket_resolved',
      'nps_response',
      'csat_response',
      'ces_response',
      'feedback',
      'invoice_paid',
      'payment_failed',
      'subscription_started',
      'subscription_changed',
      'subscription_renewed',
      'subscription_cancelled',
      'seats_changed',
      'session',
    ]) {
      expect(parsed.stats.byType.get(t) ?? 0, t).toBeGreaterThan(0);
    }
  });
  it('ground truth matches the events: cancellations at churnedAt, returns at reactivatedAt', () => {
    for (const t of sample.truth) {
      const tl = timelines.get(t.customerId)!;
      expect(tl.ofType('subscription_cancelled').map((e) => e.timestamp)).toEqual(t.cancellations);
      expect(t.churnedAt).toBe(t.cancellations[0] ?? null);
      if (t.reactivatedAt !== null)
        expect(tl.ofType('subscription_started').map((e) => e.timestamp)).toContain(t.reactivatedAt);
    }
    const churned = sample.truth.filter((t) => t.churnedAt !== null).length;
    expect(churned).toBeGreaterThan(20);
    expect(churned).toBeLessThan(100);
  });
  it('usage decays in the weeks before a cancellation', () => {
    let before = 0;
    let last = 0;
    let n = 0;
    for (const t of sample.truth) {
      if (t.churnedAt === null || t.churnedAt - t.signupAt < 120 * DAY) continue;
      const logins = timelines.get(t.customerId)!.ofType('login');
      const count = (a: number, b: number) =>
        logins.filter((e) => e.timestamp >= a && e.timestamp < b).length;
      before += count(t.churnedAt - 120 * DAY, t.churnedAt - 90 * DAY);
      last += count(t.churnedAt - 30 * DAY, t.churnedAt);
      n++;
    }
    expect(n).toBeGreaterThan(5);
    expect(last).toBeLessThan(0.5 * before);
  });
  it('rejects an empty date range', () => {
    expect(() => generateSaasEvents({ start: '2024-01-01', end: '2023-01-01' })).toThrow(
      /"end" must be after/,
    );
  });
});

describe('generateRetailTransactions', () => {
  it('produces valid purchase events with ground truth, deterministic for a seed', () => {
    const a = generateRetailTransactions({ customers: 500, seed: 3 });
    const parsed = parseEvents(a.events);
    expect(parsed.stats.rejected).toBe(0);
    expect(new Set(a.events.map((e) => e.customerId)).size).toBe(500);
    expect(generateRetailTransactions({ customers: 500, seed: 3 }).events).toEqual(a.events);
    for (const e of a.events) expect(e.timestamp as number).toBeLessThan(a.end);
  });
  it('matches the model: mean purchases per customer near the Pareto/NBD expectation', () => {
    // E[X(t)] for a new customer under Pareto/NBD = r*beta/(alpha*(s-1)) * (1 - (beta/(beta+t))^(s-1)).
    const p = { r: 2, alpha: 10, s: 2, beta: 20, p: 6, q: 4, gamma: 15 };
    const sample = generateRetailTransactions({
      customers: 4000,
      seed: 5,
      acquisitionWeeks: 0.0001,
      weeks: 52,
      params: p,
    });
    const repeat = (sample.events.length - 4000) / 4000;
    const expected = ((p.r * p.beta) / (p.alpha * (p.s - 1))) * (1 - (p.beta / (p.beta + 52)) ** (p.s - 1));
    expect(repeat).toBeGreaterThan(expected * 0.9);
    expect(repeat).toBeLessThan(expected * 1.1);
  });
  it('rejects non-positive parameters', () => {
    expect(() => generateRetailTransactions({ params: { r: 0 } })).toThrow(
      /"params\.r" must be a positive number/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { AVG_MONTH_MS, supportMetrics, supportSeries } from '../../src/metrics/index';
import { at, DAY, ev } from '../helpers/events';

const t = (customer: string, type: string, iso: string, ticketId: string) =>
  ev(customer, type, iso, undefined, { ticketId, priority: 'high' });

// A hand-built history; asOf = 2024-03-31.
const events = [
  // A-T1: 2 h to respond, 24 h to resolve.
  t('A', 'ticket_opened', '2024-03-01T10:00:00Z', 'T1'),
  t('A', 'ticket_first_response', '2024-03-01T12:00:00Z', 'T1'),
  t('A', 'ticket_resolved', '2024-03-02T10:00:00Z', 'T1'),
  // A-T2: 1 h to respond, resolved after 6 h, reopened, resolved again 48 h after the first open.
  t('A', 'ticket_resolved', '2024-03-05T06:00:00Z', 'T2'), // out of order on purpose
  t('A', 'ticket_opened', '2024-03-05T00:00:00Z', 'T2'),
  t('A', 'ticket_first_response', '2024-03-05T01:00:00Z', 'T2'),
  t('A', 'ticket_opened', '2024-03-06T00:00:00Z', 'T2'),
  t('A', 'ticket_resolved', '2024-03-07T00:00:00Z', 'T2'),
  // A-T3: never answered nor resolved.
  t('A', 'ticket_opened', '2024-03-10T00:00:00Z', 'T3'),
  // B-T1 (same id as A's, another customer): a response 5 h before the open is rejected; the next counts (4 h).
  t('B', 'ticket_first_response', '2024-03-03T00:00:00Z', 'T1'),
  t('B', 'ticket_opened', '2024-03-03T05:00:00Z', 'T1'),
  t('B', 'ticket_first_response', '2024-03-03T09:00:00Z', 'T1'),
  // B-T9: resolved but never opened → rejected.
  t('B', 'ticket_resolved', '2024-03-04T00:00:00Z', 'T9'),
  // B-T4: 8 h to respond, resolved only after asOf → open at asOf.
  t('B', 'ticket_opened', '2024-03-20T00:00:00Z', 'T4'),
  t('B', 'ticket_first_response', '2024-03-20T08:00:00Z', 'T4'),
  t('B', 'ticket_resolved', '2024-04-02T00:00:00Z', 'T4'),
  ev('C', 'login', '2024-03-15'),
];

describe('supportMetrics', () => {
  const r = supportMetrics(events, { asOf: '2024-03-31', from: '2024-03-01', to: '2024-04-01' });

  it('counts tickets missing a response or resolution as open', () => {
    // Opened: A-T1, A-T2, A-T3, B-T1, B-T4 = 5; resolved at asOf: A-T1, A-T2 = 2.
    expect(r).toMatchObject({ n: 5, opened: 5, resolved: 2, open: 3, awaitingResponse: 1, openAtAsOf: 3 });
    expect(r.resolvedShare).toBeCloseTo(2 / 5);
  });

  it('computes first-response and resolution times in hours', () => {
    // First responses [1, 2, 4, 8] h: median (R7, h = 1.5) = 2 + 0.5·2 = 3; p90 (h = 2.7) = 4 + 0.7·4 = 6.8; mean 3.75.
    expect(r.firstResponse).toEqual({
      n: 4,
      medianHours: 3,
      p90Hours: expect.closeTo(6.8, 10),
      meanHours: 3.75,
    });
    expect(r.value).toBe(3);
    // Resolutions [24, 48] h (A-T2 runs from its first open to its last resolution):
    // median 36, p90 = 24 + 0.9·24 = 45.6, mean 36.
    expect(r.resolution).toEqual({
      n: 2,
      medianHours: 36,
      p90Hours: expect.closeTo(45.6, 10),
      meanHours: 36,
    });
  });

  it('counts a reopened ticket once and reports the reopen', () => {
    expect(r.reopened).toBe(1);
    expect(r.reopenRate).toBeCloseTo(1 / 5);
  });

  it('rejects a response before the open and a resolution of a never-opened ticket, with reasons', () => {
    expect(r.rejected).toEqual([
      {
        customerId: 'B',
        ticketId: 'T1',
        type: 'ticket_first_response',
        timestamp: at('2024-03-03'),
        reason: 'first response before the ticket was opened',
      },
      {
        customerId: 'B',
        ticketId: 'T9',
        type: 'ticket_resolved',
        timestamp: at('2024-03-04'),
        reason: 'resolution before the ticket was opened',
      },
    ]);
  });

  it('gives tickets per customer per month over the window', () => {
    // 5 tickets / 3 customers (A, B, C) / (31 days / 30.436875 days) = 1.63638.
    expect(r.customers).toBe(3);
    expect(r.ticketsPerCustomerPerMonth).toBeCloseTo(5 / 3 / ((31 * DAY) / AVG_MONTH_MS), 10);
    expect(r.ticketsPerCustomerPerMonth).toBeCloseTo(1.63638, 4);
  });

  it('treats a ticket reopened and not yet resolved again as open, without a resolution time', () => {
    const s = supportMetrics(events, { asOf: '2024-03-06T12:00:00Z', from: '2024-03-05', to: '2024-03-06' });
    expect(s).toMatchObject({ opened: 1, resolved: 0, open: 1, reopened: 1, awaitingResponse: 0 });
    expect(s.resolution.n).toBe(0);
    expect(s.resolution.medianHours).toBeNull();
  });

  it('returns null with a reason when no ticket was opened in the window', () => {
    const s = supportMetrics(events, { asOf: '2024-03-31', from: '2024-01-01', to: '2024-02-01' });
    expect(s).toMatchObject({
      n: 0,
      value: null,
      reason: 'no tickets opened in the window',
      resolvedShare: null,
    });
    expect(() => supportMetrics(events, { asOf: 'soon' })).toThrow(/^supportMetrics: option "asOf" /);
  });
});

describe('supportSeries', () => {
  it('summarises tickets by the week they were first opened', () => {
    const s = supportSeries(events, {
      from: '2024-03-04',
      to: '2024-03-25',
      period: 'week',
      asOf: '2024-03-31',
    });
    // ISO weeks: 03-04..03-10 holds A-T2 (1 h) and A-T3 (Sunday 03-10, unanswered) → median of [1] = 1, n 2;
    // B-T1 (Sunday 03-03) falls in the week before the range; 03-11: nothing; 03-18: B-T4 (8 h).
    expect(s.map((p) => [p.periodStart, p.value, p.n])).toEqual([
      [at('2024-03-04'), 1, 2],
      [at('2024-03-11'), null, 0],
      [at('2024-03-18'), 8, 1],
    ]);
    expect(s[1]?.reason).toBe('no tickets opened in the window');
  });
});

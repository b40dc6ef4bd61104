import { describe, expect, it } from 'vitest';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import type { CustomerEvent } from '../../src/events/types';
import { computeSignals } from '../../src/health/computeSignals';
import { DAY } from '../helpers/events';
import { AS_OF, ev } from './_helpers';

function signals(events: CustomerEvent[], profile?: Parameters<typeof computeSignals>[1]['profile']) {
  const t = groupByCustomer(events).get('a');
  return computeSignals(t, profile === undefined ? { asOf: AS_OF } : { asOf: AS_OF, profile });
}

describe('computeSignals', () => {
  it('counts activity, logins, active days and users inside (asOf − N days, asOf] only', () => {
    const s = signals([
      ev('a', 'login', 1, undefined, { userId: 'u1' }),
      ev('a', 'login', 1.2, undefined, { userId: 'u2' }), // same UTC day as the one above? 1 day ago 00:00 vs 1.2 → previous day
      ev('a', 'session', 5, 30, { userId: 'u1' }),
      ev('a', 'feature_used', 10, 3, { userId: 'u3', feature: 'reports' }),
      ev('a', 'feature_used', 12, undefined, { userId: 'u3', feature: 'alerts' }),
      ev('a', 'login', 30, undefined, { userId: 'u9' }), // exactly 30 days ago: outside (window start exclusive)
      ev('a', 'login', 45, undefined, { userId: 'u9' }),
      ev('a', 'login', -2, undefined, { userId: 'u8' }), // after asOf: ignored
    ]);
    expect(s.logins).toBe(2);
    expect(s.activityEvents).toBe(5);
    // Days: 1 day ago (2025-05-31), 1.2 days ago (2025-05-30 19:12), 5, 10, 12 days ago → 5 distinct days
    expect(s.activeDays).toBe(5);
    expect(s.activeUsers).toBe(3);
    expect(s.featureBreadth).toBe(2);
    expect(s.featureDepth).toBeCloseTo(2, 12); // (3 + 1) uses / 2 features
    expect(s.activityPerUser).toBeCloseTo(5 / 3, 12);
    expect(s.daysSinceActivity).toBeCloseTo(1, 9);
  });

  it('returns null activity signals for a customer without any activity event, and 0 tickets', () => {
    const s = signals([ev('a', 'invoice_paid', 3, 100)]);
    expect(s.logins).toBeNull();
    expect(s.activeDays).toBeNull();
    expect(s.daysSinceActivity).toBeNull();
    expect(s.openTickets).toBe(0);
    expect(s.failedPayments).toBe(0);
    expect(s.npsLatest).toBeNull();
  });

  it('leaves failedPayments null when the customer has no billing event at all', () => {
    expect(signals([ev('a', 'login', 1)]).failedPayments).toBeNull();
  });

  it('computes usage trend (30 vs 30 days) and usage vs baseline (21 days vs the 63 before)', () => {
    const events: CustomerEvent[] = [];
    for (let d = 0; d < 84; d++) {
      const perDay = d < 21 ? 1 : 2; // 21 events in the last 21 days, 126 in the 63 before
      for (let k = 0; k < perDay; k++) events.push(ev('a', 'session', d + 0.3 + k * 0.01));
    }
    const s = signals(events);
    // usageVsBaseline: rate 21/21 = 1 per day vs 126/63 = 2 per day → −50%
    expect(s.usageVsBaseline).toBeCloseTo(-50, 9);
    // usageTrend: last 30 days 21 + 2×9 = 39 events; previous 30 days 60 → (39 − 60) / 60 = −35%
    expect(s.usageTrend).toBeCloseTo(-35, 9);
  });

  it('gives a negative robust slope for steadily falling weekly usage', () => {
    const events: CustomerEvent[] = [];
    // 12 full weeks: week w (0 = oldest) has 24 − 2w events.
    for (let w = 0; w < 12; w++) {
      const n = 24 - 2 * w;
      const weekStartDaysAgo = (12 - w) * 7;
      for (let k = 0; k < n; k++)
        events.push(ev('a', 'session', weekStartDaysAgo - 0.5 - (k % 7) - k * 0.001));
    }
    const s = computeSignals(groupByCustomer(events).get('a'), { asOf: AS_OF });
    // usageSlope uses 90 days = 12 weeks; slope −2 events/week, mean week (24 + 2) / 2 = 13 → −15.38% per week
    expect(s.usageSlope).toBeCloseTo((-2 / 13) * 100, 6);
  });

  it('tracks open tickets with reopening, ticket rate, high priority and median resolution time', () => {
    const s = signals([
      ev('a', 'ticket_opened', 80, undefined, { ticketId: 't1', priority: 'High' }),
      ev('a', 'ticket_resolved', 79, undefined, { ticketId: 't1' }), // 24 h
      ev('a', 'ticket_opened', 20, undefined, { ticketId: 't2', priority: 'low' }),
      ev('a', 'ticket_resolved', 19.5, undefined, { ticketId: 't2' }), // 12 h
      ev('a', 'ticket_opened', 10, undefined, { ticketId: 't2', priority: 'low' }), // reopened, still open
      ev('a', 'ticket_opened', 2, undefined, { ticketId: 't3', priority: 'urgent' }),
      ev('a', 'ticket_opened', 200, undefined, { ticketId: 't0' }),
      ev('a', 'ticket_resolved', 199, undefined, { ticketId: 't0' }), // outside the 90-day window
    ]);
    expect(s.openTickets).toBe(2); // t2 (reopened) and t3
    expect(s.ticketRate).toBeCloseTo((4 * 30) / 90, 12); // 4 openings in 90 days, per 30 days
    expect(s.highPriorityTickets).toBe(2);
    expect(s.medianResolutionHours).toBeCloseTo(18, 6); // median of 24 h and 12 h
  });

  it('reads surveys, failed payments, MRR change, seats, renewal, tenure and CSM rating', () => {
    const s = signals(
      [
        ev('a', 'subscription_started', 400, 500),
        ev('a', 'subscription_changed', 30, 400),
        ev('a', 'seats_changed', 100, 20),
        ev('a', 'nps_response', 300, 9),
        ev('a', 'nps_response', 20, 3),
        ev('a', 'csat_response', 10, 4),
        ev('a', 'csat_response', 11, 2),
        ev('a', 'ces_response', 15, 6),
        ev('a', 'payment_failed', 40, 400),
        ev('a', 'payment_failed', 100, 400),
        ev('a', 'csm_rating', 5, 2),
      ],
      { customerId: 'a', renewalDate: AS_OF + 45 * DAY, signupDate: AS_OF - 500 * DAY },
    );
    expect(s.npsLatest).toBe(3);
    expect(s.npsAverage).toBeCloseTo(6, 12); // (9 + 3) / 2, both within 365 days
    expect(s.csatAverage).toBeCloseTo(3, 12);
    expect(s.cesAverage).toBe(6);
    expect(s.failedPayments).toBe(1); // only the one 40 days ago is within 90 days
    expect(s.mrrChange).toBeCloseTo(-20, 12); // 500 → 400
    expect(s.mrr).toBe(400);
    expect(s.seats).toBe(20);
    expect(s.daysToRenewal).toBeCloseTo(45, 12);
    expect(s.tenureDays).toBeCloseTo(500, 12);
    expect(s.csmRating).toBe(2);
  });

  it('computes licence utilisation from active users and seats (profile fallback)', () => {
    const s = signals(
      [ev('a', 'login', 1, undefined, { userId: 'x' }), ev('a', 'login', 2, undefined, { userId: 'y' })],
      { customerId: 'a', seats: 8 },
    );
    expect(s.licenseUtilisation).toBeCloseTo(0.25, 12);
  });
});

describe('measure sentences', () => {
  it('describes usage vs baseline and activity per user with their numbers', async () => {
    const { scoreHealth } = await import('../../src/health/scoreHealth');
    const events: CustomerEvent[] = [];
    for (let d = 0; d < 84; d++) {
      const perDay = d < 21 ? 1 : 2;
      for (let k = 0; k < perDay; k++)
        events.push(ev('a', 'session', d + 0.3 + k * 0.01, undefined, { userId: `u${k}` }));
    }
    const card = {
      id: 's',
      groups: [
        {
          id: 'g',
          weight: 1,
          measures: [
            {
              id: 'vb',
              signal: 'usageVsBaseline',
              weight: 1,
              curve: { type: 'linear' as const, worst: -80, best: 0 },
            },
            {
              id: 'apu',
              signal: 'activityPerUser',
              days: 21,
              weight: 1,
              curve: { type: 'linear' as const, worst: 0, best: 100 },
            },
          ],
        },
      ],
    };
    const [a] = scoreHealth(events, { asOf: AS_OF, scorecard: card });
    expect(a?.explanation.negative.map((x) => x.sentence)).toEqual([
      '21 activity events per active user in the last 21 days', // 21 events, one user (u0)
      'Activity is 50% below its own 63-day baseline (2 → 1 events a day) in the last 21 days',
    ]);
  });
});

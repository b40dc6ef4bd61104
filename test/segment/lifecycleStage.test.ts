import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { lifecycleStage } from '../../src/segment/lifecycleStage';
import { at, DAY, daysBefore, ev } from '../helpers/events';

const asOf = at('2025-06-30');
const daysAgo = (d: number) => daysBefore(asOf, d);

/** Logins on `count` distinct days, one per day, from `from` days ago towards today. */
function logins(id: string, from: number, count: number, step = 1) {
  return Array.from({ length: count }, (_, i) => ev(id, 'login', daysAgo(from - i * step)));
}

describe('lifecycleStage', () => {
  const events = [
    // churned: cancelled
    ev('churn', 'subscription_started', daysAgo(300), 100),
    ev('churn', 'subscription_cancelled', daysAgo(20)),
    // trial: plan name
    ev('trial', 'subscription_started', daysAgo(5), 0, { plan: 'Pro Trial' }),
    // onboarding: 10 days, paying
    ev('new', 'subscription_started', daysAgo(10), 50),
    ev('new', 'invoice_paid', daysAgo(10), 50),
    ...logins('new', 9, 5),
    // adopting: 60 days tenure
    ev('adopt', 'subscription_started', daysAgo(60), 50),
    ...logins('adopt', 29, 10, 3),
    // mature: 200 days, active 10 of last 30 days
    ev('mature', 'subscription_started', daysAgo(200), 80),
    ...logins('mature', 89, 30, 3),
    // at risk by usage drop: 20 logins in days 31–90 (10 / 30 days), 2 in the last 30
    ev('drop', 'subscription_started', daysAgo(300), 80),
    ...logins('drop', 89, 20, 3),
    ...logins('drop', 20, 2),
    // retail-style customer with no events for 120 days → churned by inactivity
    ev('gone', 'purchase', daysAgo(120), 30),
  ];

  it('assigns each documented stage with its reason', () => {
    const res = lifecycleStage(events, { asOf });
    const by = Object.fromEntries(res.customers.map((c) => [c.customerId, c]));
    expect(by.churn?.stage).toBe('churned');
    expect(by.churn?.reason).toBe('churned: subscription cancelled on 2025-06-10');
    expect(by.trial?.reason).toBe('trial: plan "Pro Trial"');
    expect(by.new).toMatchObject({ stage: 'onboarding', tenureDays: 10 });
    expect(by.adopt).toMatchObject({ stage: 'adopting', reason: 'adopting: 60 days since signup (< 90)' });
    expect(by.mature).toMatchObject({ stage: 'mature', activeDays30: 10 });
    // drop: baseline = 20 events / 2 = 10 per 30 days; last 30 days = 2 < 0.5 · 10
    expect(by.drop).toMatchObject({ stage: 'at_risk', activity30: 2, activityBaseline: 10 });
    expect(by.drop?.reason).toBe(
      'at risk: 2 activity events in the last 30 days vs 10 per 30 days before (below 50%)',
    );
    expect(by.gone?.reason).toBe('churned: no activity or purchase for 120 days (≥ 90)');
    expect(res.counts).toMatchObject({
      churned: 2,
      trial: 1,
      onboarding: 1,
      adopting: 1,
      mature: 1,
      at_risk: 1,
    });
  });

  it('uses health when given: low health is at risk, middling health keeps a customer adopting', () => {
    const health = new Map([
      ['mature', 35],
      ['adopt', 90],
    ]);
    const res = lifecycleStage(events, { asOf, health });
    const by = Object.fromEntries(res.customers.map((c) => [c.customerId, c]));
    expect(by.mature).toMatchObject({ stage: 'at_risk', reason: 'at risk: health 35 < 40', health: 35 });
    const mid = lifecycleStage(events, { asOf, health: new Map([['mature', 50]]) });
    expect(mid.customers.find((c) => c.customerId === 'mature')?.reason).toBe('adopting: health 50 < 60');
  });

  it('counts a free subscription that never paid as trial, and silence after activity as at risk', () => {
    const res = lifecycleStage(
      [
        ev('free', 'subscription_started', daysAgo(40), 0),
        ...logins('free', 20, 3),
        ev('quiet', 'subscription_started', daysAgo(200), 80),
        ...logins('quiet', 120, 10),
        ev('paid', 'subscription_started', daysAgo(40), 0),
        ev('paid', 'invoice_paid', daysAgo(35), 20),
      ],
      { asOf },
    );
    const by = Object.fromEntries(res.customers.map((c) => [c.customerId, c.reason]));
    expect(by.free).toBe('trial: subscribed at MRR 0 and never paid');
    expect(by.quiet).toBe('at risk: no activity in the last 30 days');
    expect(by.paid).toBe('adopting: 40 days since signup (< 90)');
  });

  it('takes tenure from the profile signup date and ignores events after asOf', () => {
    const res = lifecycleStage(
      [ev('p', 'login', daysAgo(3)), ev('p', 'subscription_cancelled', asOf + DAY)],
      {
        asOf,
        profiles: [{ customerId: 'p', signupDate: daysAgo(400) }],
      },
    );
    // 400 days tenure, active on 1 of the last 30 days → adopting (not churned: the cancel is after asOf)
    expect(res.customers[0]).toMatchObject({ stage: 'adopting', tenureDays: 400, activeDays30: 1 });
  });

  it('leaves out customers whose first event is after asOf, and validates thresholds', () => {
    expect(lifecycleStage([ev('f', 'login', asOf + DAY)], { asOf }).customers).toEqual([]);
    expect(() => lifecycleStage(events, { asOf, thresholds: { matureDays: -1 } })).toThrow(ValidationError);
    expect(() => lifecycleStage(events, { asOf, thresholds: { matureDays: -1 } })).toThrow(
      /lifecycleStage: option "thresholds.matureDays" must be a finite number >= 0/,
    );
  });

  it('rejects unknown options with the closest name (#12)', () => {
    expect(() => lifecycleStage([], { asOf: '2025-01-01', threshold: {} } as never)).toThrow(
      /lifecycleStage: .*did you mean "thresholds"\?/,
    );
  });
});

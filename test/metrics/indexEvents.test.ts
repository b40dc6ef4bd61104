import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustomerEvent } from '../../src/events/types';
import {
  activeCustomers,
  cohortRetention,
  featureAdoption,
  indexEvents,
  licenseUtilization,
  logoRetention,
  mrrMovements,
  nps,
  periodSeries,
  revenueRetention,
  stickiness,
  supportMetrics,
  surveyScores,
  transactionalMetrics,
} from '../../src/metrics/index';
import { ev } from '../helpers/events';
import { scenario } from './_fixtures';

// A mixed history: the MRR scenario plus activity, tickets, surveys and purchases, shuffled types.
const events: CustomerEvent[] = [
  ...scenario,
  ev('A', 'login', '2024-02-01', undefined, { userId: 'u1' }),
  ev('A', 'feature_used', '2024-02-02', 2, { userId: 'u1', feature: 'reports' }),
  ev('B', 'session', '2024-01-03', 12, { userId: 'b1' }),
  ev('C', 'seats_changed', '2024-02-01', 4),
  ev('C', 'ticket_opened', '2024-03-01', undefined, { ticketId: 't' }),
  ev('C', 'ticket_first_response', '2024-03-01T03:00:00Z', undefined, { ticketId: 't' }),
  ev('A', 'nps_response', '2024-03-05', 9),
  ev('E', 'nps_response', '2024-01-05', 4),
  ev('D', 'purchase', '2024-04-02', 30),
];

describe('indexEvents', () => {
  it('gives every metric the same answer as the plain array', () => {
    const ix = indexEvents(events);
    const range = { from: '2024-01-01', to: '2024-05-01' };
    expect(mrrMovements(ix, range)).toEqual(mrrMovements(events, range));
    expect(revenueRetention(ix, range)).toEqual(revenueRetention(events, range));
    expect(logoRetention(ix, range)).toEqual(logoRetention(events, range));
    expect(cohortRetention(ix, range)).toEqual(cohortRetention(events, range));
    expect(activeCustomers(ix, range)).toEqual(activeCustomers(events, range));
    expect(stickiness(ix, range)).toEqual(stickiness(events, range));
    expect(licenseUtilization(ix, range)).toEqual(licenseUtilization(events, range));
    expect(featureAdoption(ix)).toEqual(featureAdoption(events));
    expect(supportMetrics(ix, { asOf: '2024-05-01' })).toEqual(
      supportMetrics(events, { asOf: '2024-05-01' }),
    );
    expect(surveyScores(ix, 'nps_response')).toEqual([9, 4]);
    expect(transactionalMetrics(ix)).toEqual(transactionalMetrics(events));
  });

  it('lets periodSeries receive only the requested types, in input order', () => {
    const ix = indexEvents(events);
    const seen: string[][] = [];
    const compute = (evs: CustomerEvent[]) => {
      seen.push(evs.map((e) => e.type));
      return nps(surveyScores(evs, 'nps_response'));
    };
    const opts = { from: '2024-01-01', to: '2024-04-01', types: ['nps_response', 'login'] };
    const a = periodSeries(ix, compute, opts);
    const b = periodSeries(events, compute, opts);
    expect(a.map((p) => p.value)).toEqual([-100, null, 100]);
    expect(b.map((p) => p.value)).toEqual([-100, null, 100]);
    // January: E's answer only; February: A's login; March: E's login (03-04, earlier in the input) then A's answer.
    expect(seen.slice(0, 3)).toEqual([['nps_response'], ['login'], ['login', 'nps_response']]);
    expect(seen.slice(3)).toEqual(seen.slice(0, 3));
  });
});

describe('input order', () => {
  it('does not change any result', () => {
    const range = { from: '2024-01-01', to: '2024-05-01' };
    const all = (evs: CustomerEvent[]) => {
      const ix = indexEvents(evs);
      return {
        mrr: mrrMovements(ix, range),
        cohorts: cohortRetention(ix, range),
        active: activeCustomers(ix, range),
        stickiness: stickiness(ix, range),
        license: licenseUtilization(ix, range),
        features: featureAdoption(ix),
        support: { ...supportMetrics(ix, { asOf: '2024-05-01' }), rejected: [] },
        nps: nps(surveyScores(ix, 'nps_response')),
        orders: transactionalMetrics(ix),
      };
    };
    const expected = all(events);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        (shuffled) => {
          expect(all(shuffled)).toEqual(expected);
        },
      ),
      { numRuns: 50, seed: 5 },
    );
  });
});

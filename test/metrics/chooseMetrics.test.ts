import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/_lib/errors';
import { chooseMetrics } from '../../src/metrics/chooseMetrics';
import { indexEvents } from '../../src/metrics/indexEvents';
import { ev } from '../helpers/events';
import { scenario } from './_fixtures';

describe('chooseMetrics', () => {
  it('chooses transactional metrics only for purchase data, and says which sources are absent', () => {
    const events = [
      ev('a', 'purchase', '2025-01-05', 40),
      ev('a', 'refund', '2025-01-09', 10),
      ev('b', 'purchase', '2025-02-01', 25),
    ];
    const c = chooseMetrics(events);
    expect(c.families).toEqual(['transactional']);
    expect(c.metrics).toEqual(['transactionalMetrics']);
    expect(c.sources.present).toEqual(['purchases']);
    expect(c.sources.absent).toContain('subscriptions');
    expect(c.span).toEqual({ from: Date.UTC(2025, 0, 5), to: Date.UTC(2025, 1, 1) });
    expect(c.warnings.map((w) => w.message)).toEqual([
      'No subscriptions (subscription_*) in the data: MRR, revenue and logo retention left out.',
      'No product activity (login, session, feature_used) in the data: active customers, stickiness and feature adoption left out.',
      'No support tickets (ticket_*) in the data: support metrics (volume, resolution times, backlog) left out.',
      'No NPS answers (nps_response) or CSAT answers (csat_response) or customer-effort answers (ces_response) in the data: survey scores (NPS, CSAT, CES) left out.',
    ]);
  });

  it('chooses SaaS, engagement, support and each survey that has answers (CSAT and CES included)', () => {
    const events = [
      ...scenario,
      ev('A', 'ticket_opened', '2024-03-01', undefined, { ticketId: 't' }),
      ev('A', 'csat_response', '2024-03-02', 4),
      ev('A', 'ces_response', '2024-03-03', 2),
    ];
    const c = chooseMetrics(indexEvents(events), { profiles: [{ customerId: 'A', seats: 5 }] });
    expect(c.families).toEqual(['saas', 'engagement', 'support', 'surveys']);
    expect(c.metrics).toEqual([
      'mrrMovements',
      'revenueRetention',
      'logoRetention',
      'cohortRetention',
      'activeCustomers',
      'stickiness',
      'featureAdoption',
      'licenseUtilization',
      'supportMetrics',
      'supportSeries',
      'csat',
      'ces',
    ]);
    expect(c.warnings.map((w) => w.code)).toEqual(['source_absent']); // no purchases
  });

  it('warns on an empty input and rejects what is not events', () => {
    expect(chooseMetrics([]).warnings).toEqual([
      { code: 'no_events', message: 'The data holds no event: no metric can be computed.' },
    ]);
    expect(chooseMetrics([]).metrics).toEqual([]);
    expect(() => chooseMetrics(null as never)).toThrow(ValidationError);
    expect(() => chooseMetrics([], { profile: [] } as never)).toThrow(/did you mean "profiles"\?/);
  });
});

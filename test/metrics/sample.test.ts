import { describe, expect, it } from 'vitest';
import { parseEvents } from '../../src/events/index';
import {
  activeCustomers,
  ces,
  cohortRetention,
  csat,
  featureAdoption,
  indexEvents,
  licenseUtilization,
  logoRetention,
  mrrMovements,
  nps,
  revenueRetention,
  stickiness,
  supportMetrics,
  supportSeries,
  surveyScores,
} from '../../src/metrics/index';
import { generateSaasEvents } from '../../src/sample/index';

function nonFinitePaths(value: unknown, path = '$', out: string[] = []): string[] {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push(path);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) nonFinitePaths(value[i], `${path}[${i}]`, out);
  } else if (value instanceof Map)
    for (const [k, v] of value) nonFinitePaths(v, `${path}.get(${String(k)})`, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) nonFinitePaths(v, `${path}.${k}`, out);
  }
  return out;
}

describe('metrics on generated SaaS data', () => {
  const sample = generateSaasEvents({ customers: 40, seed: 3, start: '2024-01-01', end: '2025-01-01' });
  const events = parseEvents(sample.events).events;
  const ix = indexEvents(events);
  const range = { from: '2024-01-01', to: '2025-01-01' };

  it('never returns NaN or Infinity, whatever the period', () => {
    const results = {
      nps: nps(surveyScores(ix, 'nps_response')),
      csat: csat(surveyScores(ix, 'csat_response')),
      ces: ces(surveyScores(ix, 'ces_response')),
      support: supportMetrics(ix, { asOf: sample.end }),
      supportWeekly: supportSeries(ix, { ...range, period: 'week' }),
      mrr: mrrMovements(ix, { ...range, period: 'quarter' }),
      revenue: revenueRetention(ix, range),
      logo: logoRetention(ix, { ...range, timeZone: 'Asia/Kolkata' }),
      cohorts: cohortRetention(ix, { ...range, by: 'revenue' }),
      active: activeCustomers(ix, { ...range, period: 'day' }),
      stickiness: stickiness(ix, { ...range, period: 'week' }),
      license: licenseUtilization(ix, range),
      features: featureAdoption(ix, range),
    };
    expect(nonFinitePaths(results)).toEqual([]);
    expect(results.nps.n).toBeGreaterThan(0);
    expect(results.support.opened).toBeGreaterThan(0);
  });

  it('reconciles MRR movements exactly every month and matches an independent replay of logo churn', () => {
    const m = mrrMovements(ix, range);
    for (const p of m) {
      const c = p.cents;
      expect(c.start + c.new + c.expansion - c.contraction - c.churned + c.reactivation).toBe(c.end);
    }
    // Independent replay: each account's MRR at an instant = value of its last subscription event before it.
    const subs = events
      .filter(
        (e) =>
          e.type.startsWith('subscription_') && (e.type !== 'subscription_renewed' || e.value !== undefined),
      )
      .sort((x, y) => x.timestamp - y.timestamp || (x.type < y.type ? -1 : x.type > y.type ? 1 : 0));
    const mrrAt = (id: string, t: number) => {
      let v = 0;
      for (const e of subs) {
        if (e.timestamp >= t) break;
        if (e.customerId === id) v = e.type === 'subscription_cancelled' ? 0 : (e.value ?? 0);
      }
      return v;
    };
    const ids = [...new Set(subs.map((e) => e.customerId))];
    const logo = logoRetention(ix, range);
    for (const p of logo) {
      const atStart = ids.filter((id) => mrrAt(id, p.periodStart) > 0);
      const churned = atStart.filter((id) => mrrAt(id, p.periodEnd) === 0);
      expect([p.startCustomers, p.churned]).toEqual([atStart.length, churned.length]);
    }
    expect(logo.reduce((s, p) => s + p.churned, 0)).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { churnFeatures } from '../src/churn/index';
import { estimateClv, rfmSummary } from '../src/clv/index';
import { type CustomerEvent, groupByCustomer, parseEvents, parseProfiles } from '../src/events/index';
import { scoreHealth } from '../src/health/index';
import { featureAdoption, supportMetrics } from '../src/metrics/index';
import { rfmScores, rfmSegments } from '../src/segment/index';

// Keys from user data that would hit Object.prototype if used as keys of an ordinary object.
const HOSTILE = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'prototype'];
const DAY = 86_400_000;
const asOf = Date.UTC(2025, 5, 1);

function hostileEvents(): CustomerEvent[] {
  const rows: Record<string, unknown>[] = [];
  HOSTILE.forEach((id, k) => {
    for (let d = 1; d <= 60; d += 3 + k) {
      const t = asOf - d * DAY;
      rows.push({
        customerId: id,
        type: 'login',
        timestamp: t,
        properties: { userId: HOSTILE[(d + k) % 5] },
      });
      rows.push({
        customerId: id,
        type: 'feature_used',
        timestamp: t + 1,
        properties: JSON.parse(
          `{"feature":"${HOSTILE[d % 5]}","userId":"__proto__","__proto__":{"polluted":1}}`,
        ),
      });
      rows.push({ customerId: id, type: 'purchase', timestamp: t + 2, value: 10 + d });
    }
    rows.push({ customerId: id, type: 'subscription_started', timestamp: asOf - 90 * DAY, value: 100 });
    rows.push({
      customerId: id,
      type: 'ticket_opened',
      timestamp: asOf - 5 * DAY,
      properties: { ticketId: 'constructor' },
    });
    rows.push({ customerId: id, type: 'nps_response', timestamp: asOf - 4 * DAY, value: 3 + k });
  });
  const parsed = parseEvents(rows);
  expect(parsed.stats.rejected).toBe(0);
  return parsed.events;
}

describe('keys like __proto__ and constructor in user data', () => {
  const events = hostileEvents();
  const polluted = () => ({}) as Record<string, unknown>;

  it('are ordinary ids in every module, and nothing reaches Object.prototype', () => {
    expect([...groupByCustomer(events).keys()].sort()).toEqual([...HOSTILE].sort());

    const health = scoreHealth(events, { asOf });
    expect(health.map((h) => h.customerId).sort()).toEqual([...HOSTILE].sort());
    for (const h of health) expect(h.score).toBeGreaterThanOrEqual(0);

    const adoption = featureAdoption(events, { from: asOf - 90 * DAY, to: asOf });
    const used = new Set(
      events.filter((e) => e.type === 'feature_used').map((e) => e.properties?.feature as string),
    );
    expect(used.has('__proto__') && used.has('hasOwnProperty')).toBe(true);
    expect(adoption.features.map((f) => f.feature).sort()).toEqual([...used].sort());
    expect(supportMetrics(events, { asOf }).open).toBe(5);

    const features = churnFeatures(events, {
      asOf,
      profiles: parseProfiles(
        HOSTILE.map((id) => ({ customerId: id, attributes: JSON.parse('{"__proto__":"x","tier":"a"}') })),
      ).profiles,
    });
    expect([...features.customerIds].sort()).toEqual([...HOSTILE].sort());

    const summary = rfmSummary(events, { asOf, timeUnit: 'days' });
    expect(summary.customers.map((c) => c.customerId).sort()).toEqual([...HOSTILE].sort());
    expect(estimateClv(events, { asOf }).customers).toHaveLength(5);

    const segments = rfmSegments(rfmScores(events, { asOf }));
    expect(segments.customers.map((c) => c.customerId).sort()).toEqual([...HOSTILE].sort());

    expect(polluted().polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(typeof ({} as { constructor: unknown }).constructor).toBe('function');
  });
});

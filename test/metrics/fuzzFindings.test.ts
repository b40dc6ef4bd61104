/**
 * Regression tests for the fuzzing suite's findings in the metrics module (#18): hostile values in
 * messages and in the span of chooseMetrics. Each failed before the fix with a raw TypeError or NaN.
 */
import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../../src/_lib/errors';
import type { CustomerEvent } from '../../src/events/types';
import { ces } from '../../src/metrics/ces';
import { chooseMetrics } from '../../src/metrics/chooseMetrics';
import { cohortRetention } from '../../src/metrics/cohortRetention';
import { csat } from '../../src/metrics/csat';
import { featureAdoption } from '../../src/metrics/featureAdoption';
import { indexEvents } from '../../src/metrics/indexEvents';
import { mrrMovements } from '../../src/metrics/mrrMovements';
import { nps } from '../../src/metrics/nps';
import { supportMetrics } from '../../src/metrics/supportMetrics';
import { surveyScores } from '../../src/metrics/surveyScores';
import { transactionalMetrics } from '../../src/metrics/transactionalMetrics';
import { validationMessage as messageOf } from '../helpers/errors';

/** An object with no primitive form: `String(x)` throws "Cannot convert object to primitive value". */
const noPrimitive = Object.create(null) as unknown as number;
const throwingToString = {
  toString: () => {
    throw new Error('boom');
  },
} as unknown as number;

describe('survey scores with values that have no primitive form', () => {
  it('nps names the bad answer by kind instead of throwing a TypeError', () => {
    const m = messageOf(() => nps([10, noPrimitive, 9]));
    expect(m).toMatch(/^nps: invalid scores: /);
    expect(m).toContain('score must be an integer 0..10, got an object');
  });

  it('csat and ces do too, for symbols, BigInts and throwing toString', () => {
    expect(messageOf(() => csat([5, Symbol.iterator as unknown as number]))).toContain('got a symbol');
    expect(messageOf(() => ces([3, 10n as unknown as number]))).toContain('got 10n');
    expect(messageOf(() => csat([throwingToString]))).toContain('got an object');
    // Strings are quoted and cut at 40 characters.
    expect(messageOf(() => nps(['y'.repeat(1000) as unknown as number]))).toContain(
      `got "${'y'.repeat(40)}…"`,
    );
  });

  it('a hostile scale or period is named by kind', () => {
    expect(messageOf(() => csat([5], { scale: noPrimitive }))).toContain('option "scale"');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(messageOf(() => ces([3], { scale: circular as never }))).toContain('got an object');
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2024, 6, 1);
    expect(messageOf(() => mrrMovements([], { from, to, period: noPrimitive as never }))).toContain(
      'option "period" must be one of day, week, month, quarter; got an object',
    );
    expect(messageOf(() => mrrMovements([], { from, to, timeZone: noPrimitive as never }))).toContain(
      'is not a known IANA time zone: an object',
    );
    expect(messageOf(() => cohortRetention([], { from, to, by: noPrimitive as never }))).toContain(
      'option "by" must be "logo" or "revenue"; got an object',
    );
  });
});

describe('chooseMetrics on input that is not validated events', () => {
  it('rejects an event without a finite timestamp instead of reporting span.from NaN', () => {
    const rows = [
      { customerId: 'b', type: 'purchase', timestamp: Date.UTC(2025, 0, 5) },
      { customerId: 'c', frequency: 2, T: 10 },
    ] as unknown as CustomerEvent[];
    const m = messageOf(() => chooseMetrics(rows));
    expect(m).toBe(
      'chooseMetrics: invalid events: row 1: not a validated event (type undefined); pass parseEvents(rows).events',
    );
  });

  it('names a NaN or infinite timestamp, and null entries', () => {
    const nan = [{ customerId: 'a', type: 'purchase', timestamp: Number.NaN }] as CustomerEvent[];
    expect(messageOf(() => chooseMetrics(nan))).toContain('(timestamp NaN)');
    const inf = [
      { customerId: 'a', type: 'purchase', timestamp: Number.POSITIVE_INFINITY },
    ] as CustomerEvent[];
    expect(messageOf(() => chooseMetrics(inf))).toContain('(timestamp Infinity)');
    expect(messageOf(() => chooseMetrics([null] as unknown as CustomerEvent[]))).toContain('(null)');
  });

  it('still reports the span of valid events', () => {
    const events: CustomerEvent[] = [
      { customerId: 'a', type: 'purchase', timestamp: 5, value: 1 },
      { customerId: 'a', type: 'purchase', timestamp: 2, value: 1 },
    ];
    expect(chooseMetrics(events).span).toEqual({ from: 2, to: 5 });
  });
});

describe('every metrics function checks that its events are validated events', () => {
  const asOf = Date.UTC(2025, 0, 1);
  const good: CustomerEvent = { customerId: 'a', type: 'purchase', timestamp: asOf - 1000, value: 5 };
  it('null or undefined in the array is a located error, not a TypeError reading customerId', () => {
    expect(messageOf(() => supportMetrics([good, null] as unknown as CustomerEvent[], { asOf }))).toBe(
      'supportMetrics: invalid events: row 1: not a validated event (null); pass parseEvents(rows).events',
    );
    expect(messageOf(() => transactionalMetrics([undefined] as unknown as CustomerEvent[]))).toContain(
      'row 0: not a validated event (undefined)',
    );
    expect(messageOf(() => surveyScores([null] as unknown as CustomerEvent[], 'nps_response'))).toContain(
      'row 0: not a validated event (null)',
    );
  });

  it('names the first wrong field of a row that is not an event', () => {
    const churnRow = { customerId: 'a', frequency: 2 } as unknown as CustomerEvent;
    expect(messageOf(() => featureAdoption([churnRow]))).toContain('(type undefined)');
    const numericId = { ...good, customerId: 7 } as unknown as CustomerEvent;
    expect(messageOf(() => indexEvents([numericId]))).toContain('(customerId 7)');
    const bigValue = { ...good, value: 10n } as unknown as CustomerEvent;
    expect(messageOf(() => transactionalMetrics([bigValue]))).toContain('(value 10n)');
  });

  it('lists at most 20 bad entries', () => {
    let issues = -1;
    try {
      indexEvents(Array.from({ length: 50 }, () => null) as unknown as CustomerEvent[]);
    } catch (e) {
      issues = (e as ValidationError).issues.length;
    }
    expect(issues).toBe(20);
  });
});

describe('events with properties: null (not from parseEvents)', () => {
  const asOf = Date.UTC(2025, 0, 10);
  const events = [
    {
      customerId: 'c1',
      type: 'ticket_opened',
      timestamp: Date.UTC(2025, 0, 1),
      properties: { ticketId: 't1' },
    },
    { customerId: 'c1', type: 'ticket_resolved', timestamp: Date.UTC(2025, 0, 2), properties: null },
    { customerId: 'c1', type: 'feature_used', timestamp: Date.UTC(2025, 0, 3), properties: null },
    {
      customerId: 'c1',
      type: 'feature_used',
      timestamp: Date.UTC(2025, 0, 4),
      properties: { feature: 'export', userId: 'u1' },
    },
  ] as unknown as CustomerEvent[];

  it('supportMetrics reads them as events without a ticketId (it threw a TypeError)', () => {
    const r = supportMetrics(events, { asOf });
    expect(r).toMatchObject({ opened: 1, resolved: 0, open: 1 });
  });

  it('featureAdoption reads them as events without a user or feature (it threw a TypeError)', () => {
    const r = featureAdoption(events, { from: Date.UTC(2025, 0, 1), to: asOf });
    expect(r.features.map((f) => [f.feature, f.users])).toEqual([['export', 1]]);
  });
});

/**
 * Parity: the SQL of `toSql` run on DuckDB gives exactly (1e-9) the rows the JS path computes, on
 * the generated SaaS and retail samples plus hand-made edge cases (one event, events exactly at
 * asOf and at window starts, empty windows, missing values, ticket reopen, cancellation, ties).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { churnFeatures } from '../../src/churn/churnFeatures';
import { rfmSummary } from '../../src/clv/rfmSummary';
import { groupByCustomer } from '../../src/events/groupByCustomer';
import { parseEvents } from '../../src/events/parseEvents';
import { parseProfiles } from '../../src/events/parseProfiles';
import type { CustomerEvent } from '../../src/events/types';
import { computeSignals } from '../../src/health/computeSignals';
import { scoreHealth } from '../../src/health/scoreHealth';
import { generateRetailTransactions, generateSaasEvents } from '../../src/sample';
import { churnFeaturesFromRows } from '../../src/sql/churnFeaturesFromRows';
import { rfmSummaryFromRows } from '../../src/sql/rfmSummaryFromRows';
import { orderedHealthFromRows, scoreHealthFromRows } from '../../src/sql/scoreHealthFromRows';
import { toSql } from '../../src/sql/toSql';
import { DAY, ev, HOUR } from '../helpers/events';
import { type Duck, duckdbAvailable, openDuck, type Row } from './_duck';

const hasDuck = await duckdbAvailable();
if (!hasDuck) console.warn('[sql] @duckdb/node-api is not installed: the SQL parity tests are SKIPPED.');

const ASOF = Date.UTC(2025, 6, 1, 12, 0, 0, 0);
const mapping = { timestampStorage: 'epoch_ms' } as const;

/** Hand-made customers for the edges of every rule. */
function edgeEvents(): CustomerEvent[] {
  const a = ASOF;
  return [
    // One event, exactly at asOf.
    ev('edge_at_asof', 'login', a, undefined, { userId: 'u1' }),
    // One event just after asOf (ignored: the customer has no row).
    ev('edge_after', 'login', a + 1),
    // Events exactly at window starts (excluded: windows are (asOf - n, asOf]) and 1 ms inside.
    ev('edge_bounds', 'login', a - 30 * DAY, undefined, { userId: 'u1' }),
    ev('edge_bounds', 'login', a - 30 * DAY + 1, undefined, { userId: 'u2' }),
    ev('edge_bounds', 'session', a - 90 * DAY),
    ev('edge_bounds', 'feature_used', a - 7 * DAY, 3, { feature: 'f1', userId: 'u1' }),
    ev('edge_bounds', 'feature_used', a - 7 * DAY + 1, undefined, { feature: 'f2' }),
    ev('edge_bounds', 'feature_used', a - 2 * DAY, undefined, {}),
    ev('edge_bounds', 'payment_failed', a - 90 * DAY),
    ev('edge_bounds', 'payment_failed', a - 89 * DAY),
    // Empty recent windows: only old activity, surveys without value, billing and tickets.
    ev('edge_old', 'login', a - 400 * DAY, undefined, { userId: 7 }),
    ev('edge_old', 'nps_response', a - 10 * DAY),
    ev('edge_old', 'nps_response', a - 11 * DAY, 8),
    ev('edge_old', 'csat_response', a - 5 * DAY, 4),
    ev('edge_old', 'ces_response', a - 200 * DAY, 2),
    ev('edge_old', 'invoice_paid', a - 100 * DAY, 50),
    ev('edge_old', 'seats_changed', a - 300 * DAY, 0),
    ev('edge_old', 'csm_rating', a - 3 * DAY, 4),
    // Tickets: reopen, resolve twice, unmatched resolve, high priority, numeric id.
    ev('edge_tickets', 'ticket_opened', a - 60 * DAY, undefined, { ticketId: 't1', priority: 'High' }),
    ev('edge_tickets', 'ticket_resolved', a - 59 * DAY, undefined, { ticketId: 't1' }),
    ev('edge_tickets', 'ticket_opened', a - 20 * DAY, undefined, { ticketId: 't1', priority: 'p1' }),
    ev('edge_tickets', 'ticket_resolved', a - 10 * DAY - 5 * HOUR, undefined, { ticketId: 't1' }),
    ev('edge_tickets', 'ticket_resolved', a - 9 * DAY, undefined, { ticketId: 't1' }),
    ev('edge_tickets', 'ticket_resolved', a - 8 * DAY, undefined, { ticketId: 'nope' }),
    ev('edge_tickets', 'ticket_opened', a - 5 * DAY, undefined, { ticketId: 42, priority: 'low' }),
    ev('edge_tickets', 'ticket_opened', a - 4 * DAY, undefined, { ticketId: 't3', priority: 'urgent' }),
    ev('edge_tickets', 'ticket_resolved', a - 4 * DAY, undefined, { ticketId: 't3' }),
    // Subscriptions: start, change, cancel, restart; ties at one instant.
    ev('edge_subs', 'subscription_started', a - 500 * DAY, 100, { plan: 'pro' }),
    ev('edge_subs', 'subscription_renewed', a - 135 * DAY, 120, { plan: 'pro' }),
    ev('edge_subs', 'subscription_changed', a - 100 * DAY, 150, { plan: 'team' }),
    ev('edge_subs', 'subscription_cancelled', a - 60 * DAY),
    ev('edge_subs', 'subscription_started', a - 60 * DAY, 90, { plan: 'starter' }),
    ev('edge_subs', 'seats_changed', a - 50 * DAY, 4),
    ev('edge_subs', 'login', a - 50 * DAY, undefined, { userId: 'x' }),
    ev('edge_subs', 'login', a - 50 * DAY, undefined, { userId: 'y' }),
    ev('edge_subs', 'purchase', a - 40 * DAY, 30),
    ev('edge_subs', 'purchase', a - 40 * DAY, 12),
    ev('edge_subs', 'refund', a - 39 * DAY, 5),
    ev('edge_subs', 'purchase', a - 200 * DAY, 40),
    ev('edge_subs', 'refund', a, 10),
    // Cancelled as the last subscription event.
    ev('edge_cancel', 'subscription_started', a - 40 * DAY, 80),
    ev('edge_cancel', 'subscription_cancelled', a - 10 * DAY),
    ev('edge_cancel', 'purchase', a - 10 * DAY, 7),
  ];
}

/** Deep equality with numbers equal to 1e-9 (relative); returns the paths that differ. */
function deepDiff(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a === 'number' && typeof b === 'number') return close(a, b) ? [] : [`${path}: ${a} vs ${b}`];
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object')
    return a === b ? [] : [`${path}: ${String(a)} vs ${String(b)}`];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const k of keys)
    out.push(
      ...deepDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`),
    );
  return out;
}

function close(a: number | null | undefined, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof b !== 'number') return false;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
}

describe.skipIf(!hasDuck)('toSql on DuckDB equals the JS path', () => {
  let duck: Duck;
  let events: CustomerEvent[];
  let retail: CustomerEvent[];
  let retailDuck: Duck;
  let saasProfiles: ReturnType<typeof parseProfiles>['profiles'];

  beforeAll(async () => {
    const saas = generateSaasEvents({ customers: 30, seed: 11 });
    events = [...parseEvents(saas.events).events, ...edgeEvents()];
    saasProfiles = parseProfiles(saas.profiles).profiles;
    duck = await openDuck(events);
    const r = generateRetailTransactions({ customers: 250, seed: 4 });
    const base = parseEvents(r.events).events;
    // Refunds: some the same day as the purchase, some before any purchase of another customer.
    const refunds = base
      .filter((_, i) => i % 13 === 0)
      .map((e, i) => ev(e.customerId, 'refund', e.timestamp + (i % 3) * 6 * HOUR, (e.value ?? 0) / 2));
    retail = [...base, ...refunds, ev('only_refund', 'refund', Date.UTC(2024, 5, 1), 3)];
    retailDuck = await openDuck(retail);
  });
  afterAll(() => {
    duck?.close();
    retailDuck?.close();
  });

  it('health signal rows equal computeSignals for every signal and customer', async () => {
    const rows = await duck.query(
      toSql({ dialect: 'duckdb', query: 'healthSignals', table: 'events', asOf: ASOF, mapping }),
    );
    const timelines = groupByCustomer(events);
    const expected = [...timelines.values()].filter((t) => t.firstTimestamp <= ASOF);
    expect(rows.map((r) => r.customer_id)).toEqual(expected.map((t) => t.customerId));
    const diffs: string[] = [];
    for (const r of rows) {
      const js = computeSignals(timelines.get(r.customer_id as string), { asOf: ASOF });
      for (const k of Object.keys(js)) {
        if (!close(js[k], r[k])) diffs.push(`${r.customer_id}.${k}: js ${js[k]} sql ${String(r[k])}`);
      }
    }
    expect(diffs).toEqual([]);
    // The edge customers really exercise the edges (hand-checked values).
    const byId = new Map(rows.map((r) => [r.customer_id as string, r] as const));
    const at = byId.get('edge_at_asof') as Row;
    expect(at.logins).toBe(1); // the login exactly at asOf counts
    expect(at.daysSinceActivity).toBe(0);
    const b = byId.get('edge_bounds') as Row;
    expect(b.logins).toBe(1); // asOf − 30 d is outside (asOf − 30 d, asOf]; 1 ms later is inside
    expect(b.failedPayments).toBe(1); // the one at asOf − 90 d is outside the 90-day window
    const t = byId.get('edge_tickets') as Row;
    expect(t.openTickets).toBe(1); // t1 resolved, t3 resolved, 42 open
    // Resolved within 90 days: t1 at asOf − 59 d after 24 h, t1 again after 10 d − 5 h = 235 h, t3
    // after 0 h → median 24 h.
    expect(t.medianResolutionHours).toBe(24);
    expect(byId.has('edge_after')).toBe(false);
  });

  it('health scores from SQL rows equal scoreHealth (default scorecard, profiles, warnings)', async () => {
    const rows = await duck.query(
      toSql({ dialect: 'duckdb', query: 'healthSignals', table: 'events', asOf: ASOF, mapping }),
    );
    const js = scoreHealth(events, { asOf: ASOF, profiles: saasProfiles });
    const sq = scoreHealthFromRows(rows, { asOf: ASOF, profiles: saasProfiles });
    expect(sq.map((x) => x.customerId)).toEqual(js.map((x) => x.customerId));
    expect(
      deepDiff(
        js.map((x) => x.toJSON()),
        sq.map((x) => x.toJSON()),
      ),
    ).toEqual([]);
    expect(sq.warnings).toEqual(js.warnings);
    expect(sq.scorecard).toBe(js.scorecard);
    // The CLI's form: the same scores lowest first (then id), each built when asked for.
    const ordered = orderedHealthFromRows(rows, { asOf: ASOF, profiles: saasProfiles });
    const sorted = [...sq].sort(
      (a, b) => (a.score ?? 101) - (b.score ?? 101) || (a.customerId < b.customerId ? -1 : 1),
    );
    expect(ordered.length).toBe(sorted.length);
    expect(JSON.stringify(Array.from({ length: ordered.length }, (_, i) => ordered.at(i)))).toBe(
      JSON.stringify(sorted),
    );
    expect(ordered.warnings).toEqual(sq.warnings);
  });

  it('health scores of purchase-only data (auto purchases scorecard) equal scoreHealth', async () => {
    const asOf = Date.UTC(2025, 0, 1);
    const rows = await retailDuck.query(
      toSql({ dialect: 'duckdb', query: 'healthSignals', table: 'events', asOf, mapping }),
    );
    const js = scoreHealth(retail, { asOf });
    const sq = scoreHealthFromRows(rows, { asOf });
    expect(sq.scorecard).toBe('purchases');
    expect(
      deepDiff(
        js.map((x) => x.toJSON()),
        sq.map((x) => x.toJSON()),
      ),
    ).toEqual([]);
    expect(sq.warnings).toEqual(js.warnings);
  });

  it('health signal rows at non-default windows equal the JS pass', async () => {
    const signals = [
      { signal: 'activeDays', days: 7 },
      { signal: 'usageSlope', days: 30 },
      { signal: 'usageTrend', days: 14 },
      { signal: 'mrrChange', days: 30 },
      { signal: 'medianResolutionHours', days: 30 },
    ];
    const sql = toSql({
      dialect: 'duckdb',
      query: 'healthSignals',
      table: 'events',
      asOf: ASOF,
      signals,
      mapping,
    });
    const rows = await duck.query(sql);
    expect(Object.keys(rows[0] as Row)).toContain('usageSlope_30d');
    // Shifting asOf by the window difference is not the same thing, so check against the JS
    // default-window values where the windows coincide, and hand-checked values elsewhere.
    const edge = rows.find((r) => r.customer_id === 'edge_subs') as Row;
    // MRR 30 days ago: 90 (restarted at asOf − 60 d), now 90 → 0 %.
    expect(edge.mrrChange_30d).toBe(0);
    expect(edge.mrrChange_30d__detail).toBe(90);
    expect(edge.activeDays_7d).toBe(0);
  });

  it('churn feature table from SQL rows equals churnFeatures, with and without profiles', async () => {
    const rows = await duck.query(
      toSql({ dialect: 'duckdb', query: 'churnFeatures', table: 'events', asOf: ASOF, mapping }),
    );
    for (const profiles of [undefined, saasProfiles]) {
      const js = churnFeatures(events, { asOf: ASOF, ...(profiles === undefined ? {} : { profiles }) });
      const sq = churnFeaturesFromRows(rows, { asOf: ASOF, ...(profiles === undefined ? {} : { profiles }) });
      expect(sq.customerIds).toEqual(js.customerIds);
      expect(sq.names).toEqual(js.names);
      const diffs: string[] = [];
      for (const name of js.names) {
        const a = js.columns[name] as Float64Array;
        const b = sq.columns[name] as Float64Array;
        js.customerIds.forEach((id, i) => {
          const ma = (js.missing[name] as Uint8Array)[i];
          const mb = (sq.missing[name] as Uint8Array)[i];
          if (ma !== mb || !close(a[i], b[i]))
            diffs.push(`${id}.${name}: js ${a[i]}/${ma} sql ${b[i]}/${mb}`);
        });
      }
      expect(diffs).toEqual([]);
      expect(sq.categorical).toEqual(js.categorical);
    }
  });

  it('RFM rows equal rfmSummary (net revenue, holdout, every unit)', async () => {
    const cases = [
      { asOf: Date.UTC(2025, 3, 1), timeUnit: 'weeks' as const },
      { asOf: Date.UTC(2025, 3, 1), timeUnit: 'days' as const, calibrationEnd: Date.UTC(2024, 10, 1, 6) },
      { asOf: Date.UTC(2024, 8, 1), timeUnit: 'months' as const, calibrationEnd: Date.UTC(2024, 8, 1) },
    ];
    for (const c of cases) {
      const rows = await retailDuck.query(
        toSql({ dialect: 'duckdb', query: 'rfmSummary', table: 'events', mapping, ...c }),
      );
      const js = rfmSummary(retail, c);
      const sq = rfmSummaryFromRows(rows, c);
      expect(sq.customers.map((x) => x.customerId)).toEqual(js.customers.map((x) => x.customerId));
      const diffs: string[] = [];
      js.customers.forEach((row, i) => {
        const other = sq.customers[i] as unknown as Record<string, unknown>;
        for (const [k, v] of Object.entries(row)) {
          if (k === 'customerId') continue;
          if (!close(v as number, other[k]))
            diffs.push(`${row.customerId}.${k}: js ${v} sql ${String(other[k])}`);
        }
      });
      expect(diffs).toEqual([]);
      expect(sq.holdoutDuration).toBeCloseTo(js.holdoutDuration, 12);
      expect(sq.warnings.map((w) => w.code)).toEqual(js.warnings.map((w) => w.code));
    }
  });

  it('the SaaS sample RFM (subscription customers with purchases and refunds) matches too', async () => {
    const rows = await duck.query(
      toSql({ dialect: 'duckdb', query: 'rfmSummary', table: 'events', asOf: ASOF, mapping }),
    );
    const js = rfmSummary(events, { asOf: ASOF });
    const sq = rfmSummaryFromRows(rows, { asOf: ASOF });
    expect(sq.customers).toEqual(
      js.customers.map((c) => expect.objectContaining({ ...c, totalValue: expect.closeTo(c.totalValue, 9) })),
    );
  });
});

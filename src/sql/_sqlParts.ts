/**
 * SQL fragments shared by the health-signal and churn-feature queries (private to `src/sql`): event
 * type filters and the per-customer "last value", median and ticket-sequence CTEs.
 * @module
 */
import { MS_PER_DAY } from '../_lib/time';
import { type Dialect, num } from './dialect';

export const ACT = "type IN ('login', 'session', 'feature_used')";
export const SUBSCRIPTION_TYPES = [
  'subscription_started',
  'subscription_changed',
  'subscription_renewed',
  'subscription_cancelled',
];
export const BILLING =
  "type IN ('payment_failed', 'invoice_paid', 'subscription_started', 'subscription_changed', 'subscription_renewed', 'subscription_cancelled')";
export const HIGH = "priority IN ('high', 'urgent', 'critical', 'p1', 'p0')";
export const MRR_SET =
  "((type IN ('subscription_started', 'subscription_changed', 'subscription_renewed') AND v IS NOT NULL) OR type = 'subscription_cancelled')";
export const MAX_SLOPE_DAYS = 371;
export const D = num(MS_PER_DAY);

/** The ORDER BY of "the last event" in the library's total event order (time, type, eventId, value). @internal */
export function lastOrder(d: Dialect): string {
  return `t DESC, ${d.binary('type')} DESC, ${d.binary('event_id')} DESC NULLS LAST, v DESC NULLS LAST`;
}

/** A CTE holding, per customer, `val` of the last event matching `where`. @internal */
export function lastValueCte(d: Dialect, name: string, where: string, value: string): string {
  return `${name} AS (\n  SELECT cid, val FROM (\n    SELECT cid, ${value} AS val, ROW_NUMBER() OVER (PARTITION BY cid ORDER BY ${lastOrder(d)}) AS rn\n    FROM ev WHERE ${where}\n  ) AS x WHERE rn = 1\n)`;
}

/**
 * A CTE holding, per customer, the median `med` of `value` over the rows of `from` matching `where`
 * (the average of the two middle values for an even count, as in JS). DuckDB sorts each customer's
 * values in a list (one hash aggregate; ~4× faster at 1M customers than the portable form, a
 * window sort over every value); the other dialects number the rows with window functions.
 * @internal
 */
export function medianCte(d: Dialect, name: string, from: string, value: string, where: string): string {
  if (d.name === 'duckdb')
    return `${name} AS (\n  SELECT cid, (l[(len(l) + 1) // 2] + l[len(l) // 2 + 1]) / 2 AS med FROM (\n    SELECT cid, list_sort(list(${value})) AS l FROM ${from} WHERE ${where} GROUP BY cid\n  ) AS m\n)`;
  return `${name} AS (\n  SELECT cid, AVG(x) AS med FROM (\n    SELECT cid, ${value} AS x, ROW_NUMBER() OVER (PARTITION BY cid ORDER BY ${value}) AS rn, COUNT(*) OVER (PARTITION BY cid) AS n\n    FROM ${from} WHERE ${where}\n  ) AS m WHERE rn * 2 IN (n, n + 1, n + 2) GROUP BY cid\n)`;
}

/** Ticket open/resolve sequence per (customer, ticket id), with the previous event of the same ticket. @internal */
export function ticketCte(d: Dialect): string {
  const w = `PARTITION BY cid, ticket_id ORDER BY t, ${d.binary('type')}`;
  return `tk AS (\n  SELECT cid, ticket_id, type, t,\n    LAG(type) OVER (${w}) AS ptype,\n    LAG(t) OVER (${w}) AS pt,\n    ROW_NUMBER() OVER (PARTITION BY cid, ticket_id ORDER BY t DESC, ${d.binary('type')} DESC) AS rdesc\n  FROM ev WHERE type IN ('ticket_opened', 'ticket_resolved') AND ticket_id IS NOT NULL\n)`;
}

/**
 * The per-customer aggregates behind `churnFeatures` as one SQL query. The query returns the
 * O(events) part (counts, sums, latest values, weekly activity counts, term starts); the row adapter
 * `churnFeaturesFromRows` finishes the O(customers) part (profile fallbacks, the weekly-trend
 * regression, calendar-month renewal dates, profile attribute columns) with the same code paths.
 * @module
 */
import { MS_PER_DAY, MS_PER_HOUR } from '../_lib/time';
import { lastValueCte, ticketCte } from './_sqlParts';
import { type Dialect, lit, num } from './dialect';

/** Weeks of the usage-trend regression (as in churnFeatures). @internal */
export const TREND_WEEKS = 12;

const ACT = "type IN ('login', 'session', 'feature_used')";
const SUB3 = "type IN ('subscription_started', 'subscription_renewed', 'subscription_changed')";
const MRR_SET = `((${SUB3} AND v IS NOT NULL) OR type = 'subscription_cancelled')`;

/** The joins of the final SELECT. */
const JOINS = [
  'LEFT JOIN ot ON ot.cid = a.cid',
  'LEFT JOIN rs ON rs.cid = a.cid',
  'LEFT JOIN se ON se.cid = a.cid',
  'LEFT JOIN np ON np.cid = a.cid',
  'LEFT JOIN cs ON cs.cid = a.cid',
  'LEFT JOIN mr ON mr.cid = a.cid',
  'LEFT JOIN m9 ON m9.cid = a.cid',
  'LEFT JOIN pl ON pl.cid = a.cid',
  'LEFT JOIN tq ON tq.cid = a.cid AND tq.rn = 1',
];

/**
 * Builds the churn-aggregate query body (CTEs after `ev`) and the final SELECT.
 * Windows are half-open `(asOf − n days, asOf]`, like every window of the library.
 * @internal
 */
export function churnFeaturesQuery(d: Dialect, asOf: number, highPriorities: readonly string[]): string {
  const ctes = churnCtes(d, asOf, aggregateColumns(d, asOf, highPriorities));
  const cols = outputColumns(d);
  return `${ctes.join(',\n')}\nSELECT\n  ${cols.join(',\n  ')}\nFROM agg AS a\n${JOINS.join('\n')}\nORDER BY ${d.binary('a.cid')}`;
}

/** The per-customer aggregates of `agg` (counts, sums, latest instants, weekly activity counts). */
function aggregateColumns(d: Dialect, asOf: number, highPriorities: readonly string[]): string[] {
  const D = num(MS_PER_DAY);
  const b = (days: number): string => num(asOf - days * MS_PER_DAY);
  const cnt = (cond: string): string => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
  // Sums of values are exact (order-independent, so the same on every run): see Dialect.exact.
  const x = d.exact;
  const high =
    highPriorities.length === 0
      ? 'FALSE'
      : `priority IN (${highPriorities.map((p) => lit(p.toLowerCase())).join(', ')})`;
  const W7 = num(7 * MS_PER_DAY);
  const weekOf = `FLOOR((${num(asOf)} - t) / ${W7})`;
  const agg: string[] = [
    'cid',
    'MIN(t) AS first_t',
    'MAX(t) AS last_t',
    `MAX(CASE WHEN ${ACT} THEN t END) AS last_activity`,
    "MAX(CASE WHEN type = 'purchase' THEN t END) AS last_purchase",
    `${cnt("type = 'purchase'")} AS purchases`,
    `${cnt(`type = 'purchase' AND t > ${b(90)}`)} AS purchases90`,
    `SUM(CASE WHEN type = 'purchase' THEN ${x('COALESCE(v, 0)')} ELSE 0 END) AS purchase_sum`,
    `SUM(CASE WHEN type IN ('purchase', 'invoice_paid') THEN ${x('COALESCE(v, 0)')} WHEN type = 'refund' THEN -${x('COALESCE(v, 0)')} ELSE 0 END) AS monetary`,
    `${cnt(`${ACT} AND t > ${b(7)}`)} AS a7`,
    `${cnt(`${ACT} AND t > ${b(30)}`)} AS a30`,
    `${cnt(`${ACT} AND t > ${b(90)}`)} AS a90`,
    `COUNT(DISTINCT CASE WHEN ${ACT} AND t > ${b(30)} THEN FLOOR(t / ${D}) END) AS active_days30`,
  ];
  for (let k = 0; k < TREND_WEEKS; k++) {
    const wk = k < TREND_WEEKS - 1 ? `${weekOf} = ${k}` : `${weekOf} >= ${k}`;
    agg.push(`${cnt(`${ACT} AND t > ${b(TREND_WEEKS * 7)} AND ${wk}`)} AS w${k}`);
  }
  const feats = (days: number): string =>
    `COUNT(DISTINCT CASE WHEN type = 'feature_used' AND t > ${b(days)} THEN feature END) + MAX(CASE WHEN type = 'feature_used' AND t > ${b(days)} AND feature IS NULL THEN 1 ELSE 0 END)`;
  agg.push(
    `${feats(30)} AS feats30`,
    `${feats(90)} AS feats90`,
    `COUNT(DISTINCT CASE WHEN ${ACT} AND t > ${b(30)} THEN user_id END) AS users30`,
    `${cnt(`type = 'ticket_opened' AND t > ${b(30)}`)} AS tickets30`,
    `${cnt(`type = 'ticket_opened' AND t > ${b(90)}`)} AS tickets90`,
    `${cnt(`type = 'ticket_opened' AND t > ${b(30)} AND ${high}`)} AS high30`,
    `SUM(CASE WHEN type = 'nps_response' AND v IS NOT NULL THEN ${x('v')} ELSE 0 END) AS nps_sum`,
    `${cnt("type = 'nps_response' AND v IS NOT NULL")} AS nps_cnt`,
    `SUM(CASE WHEN type = 'csat_response' AND v IS NOT NULL THEN ${x('v')} ELSE 0 END) AS csat_sum`,
    `${cnt("type = 'csat_response' AND v IS NOT NULL")} AS csat_cnt`,
    `${cnt(`type = 'payment_failed' AND t > ${b(90)}`)} AS failed90`,
    `MAX(CASE WHEN ${SUB3} OR type = 'subscription_cancelled' THEN 1 ELSE 0 END) AS sub_seen`,
  );
  return agg;
}

/** The CTEs: `agg`, then tickets, resolution time, last values (seats, NPS, CSAT, MRR, plan) and terms. */
function churnCtes(d: Dialect, asOf: number, agg: readonly string[]): string[] {
  const b = (days: number): string => num(asOf - days * MS_PER_DAY);
  // Sums of values are exact (order-independent, so the same on every run): see Dialect.exact.
  const x = d.exact;
  const termW = `PARTITION BY cid ORDER BY t, ${d.binary('type')}, ${d.binary('event_id')} NULLS FIRST, v NULLS FIRST`;
  const ctes = [
    `agg AS (\n  SELECT ${agg.join(',\n    ')}\n  FROM ev GROUP BY cid\n)`,
    ticketCte(d),
    "ot AS (SELECT cid, SUM(CASE WHEN rdesc = 1 AND type = 'ticket_opened' THEN 1 ELSE 0 END) AS n FROM tk GROUP BY cid)",
    `rs AS (SELECT cid, (SUM(${x('t - pt')}) / COUNT(*)) / ${num(MS_PER_HOUR)} AS mean_res FROM tk WHERE type = 'ticket_resolved' AND ptype = 'ticket_opened' AND t > ${b(90)} GROUP BY cid)`,
    lastValueCte(d, 'se', "type = 'seats_changed' AND v IS NOT NULL", 'v'),
    lastValueCte(d, 'np', "type = 'nps_response' AND v IS NOT NULL", 'v'),
    lastValueCte(d, 'cs', "type = 'csat_response' AND v IS NOT NULL", 'v'),
    lastValueCte(d, 'mr', MRR_SET, "CASE WHEN type = 'subscription_cancelled' THEN 0 ELSE v END"),
    lastValueCte(
      d,
      'm9',
      `${MRR_SET} AND t <= ${b(90)}`,
      "CASE WHEN type = 'subscription_cancelled' THEN 0 ELSE v END",
    ),
    lastValueCte(d, 'pl', `${SUB3} AND plan IS NOT NULL AND plan <> ''`, 'plan'),
    `tq AS (\n  SELECT cid, type, t, LAG(type) OVER (${termW}) AS ptype, LAG(t) OVER (${termW}) AS pt,\n    ROW_NUMBER() OVER (PARTITION BY cid ORDER BY t DESC, ${d.binary('type')} DESC, ${d.binary('event_id')} DESC NULLS LAST, v DESC NULLS LAST) AS rn\n  FROM ev WHERE type IN ('subscription_started', 'subscription_renewed', 'subscription_cancelled')\n)`,
  ];
  return ctes;
}

/** The columns of the final SELECT. */
function outputColumns(d: Dialect): string[] {
  const dbl = (e: string): string => `CAST(${e} AS ${d.double})`;
  const q = d.quote;
  return [
    `a.cid AS ${q('customer_id')}`,
    ...[
      'first_t',
      'last_t',
      'last_activity',
      'last_purchase',
      'purchases',
      'purchases90',
      'purchase_sum',
      'monetary',
      'a7',
      'a30',
      'a90',
      'active_days30',
      ...Array.from({ length: TREND_WEEKS }, (_, k) => `w${k}`),
      'feats30',
      'feats90',
      'users30',
      'tickets30',
      'tickets90',
      'high30',
      'nps_cnt',
      'csat_cnt',
      'failed90',
    ].map((c) => `${dbl(`a.${c}`)} AS ${q(c)}`),
    `${dbl('COALESCE(ot.n, 0)')} AS ${q('open_tickets')}`,
    `${dbl('rs.mean_res')} AS ${q('mean_res90')}`,
    `${dbl('se.val')} AS ${q('seats')}`,
    `${dbl('np.val')} AS ${q('nps_last')}`,
    `CASE WHEN a.nps_cnt > 0 THEN ${dbl('a.nps_sum')} / a.nps_cnt END AS ${q('nps_mean')}`,
    `${dbl('cs.val')} AS ${q('csat_last')}`,
    `CASE WHEN a.csat_cnt > 0 THEN ${dbl('a.csat_sum')} / a.csat_cnt END AS ${q('csat_mean')}`,
    `CASE WHEN a.sub_seen = 1 THEN TRUE ELSE FALSE END AS ${q('sub_seen')}`,
    `${dbl('mr.val')} AS ${q('mrr')}`,
    `${dbl('m9.val')} AS ${q('mrr_at90')}`,
    `${dbl("CASE WHEN tq.type <> 'subscription_cancelled' THEN tq.t END")} AS ${q('term_start')}`,
    `${dbl("CASE WHEN tq.type = 'subscription_renewed' AND tq.ptype IN ('subscription_started', 'subscription_renewed') THEN tq.pt END")} AS ${q('prev_term_start')}`,
    `pl.val AS ${q('plan')}`,
  ];
}

/**
 * The RFM / BTYD summary (x, t_x, T, net spend, holdout) as one SQL query: the SQL twin of
 * `rfmSummary`, with the library's net-revenue rule (refunds subtract |value| from the purchase day
 * of the latest purchase at or before them, or from the first day when they precede every purchase).
 * @module
 */
import { MS_PER_DAY } from '../_lib/time';
import { DAYS_PER_UNIT } from '../clv/rfmSummary';
import type { TimeUnit } from '../clv/types';
import { type Dialect, lit, num } from './dialect';

/**
 * Builds the RFM query body (CTEs after `ev`, which holds purchases and refunds at or before `asOf`)
 * and the final SELECT. Columns are named like `RfmCustomer`'s fields.
 * @internal
 */
export function rfmSummaryQuery(
  d: Dialect,
  asOf: number,
  calibrationEnd: number | null,
  unit: TimeUnit,
  purchaseType: string,
  refundType: string,
): string {
  const dbl = (e: string): string => `CAST(${e} AS ${d.double})`;
  const q = d.quote;
  const D = num(MS_PER_DAY);
  const per = num(DAYS_PER_UNIT[unit]);
  const endDay = Math.floor((calibrationEnd ?? asOf) / MS_PER_DAY);
  const hold = calibrationEnd === null ? '0' : `CASE WHEN t > ${num(calibrationEnd)} THEN 1 ELSE 0 END`;
  const P = `type = ${lit(purchaseType)}`;
  const R = `type = ${lit(refundType)}`;
  // Sums of values are exact (order-independent, so the same on every run): see Dialect.exact.
  const x = d.exact;
  const ctes = [
    `pd AS (\n  SELECT cid, FLOOR(t / ${D}) AS day, ${hold} AS hold, SUM(${x('COALESCE(v, 0)')}) AS val, MIN(t) AS t0, MAX(t) AS t1\n  FROM ev WHERE ${P} GROUP BY cid, FLOOR(t / ${D})${calibrationEnd === null ? '' : `, ${hold}`}\n)`,
    `cal AS (\n  SELECT cid, COUNT(*) AS days, MIN(day) AS first_day, MAX(day) AS last_day, MIN(t0) AS first_at, MAX(t1) AS last_at\n  FROM pd WHERE hold = 0 GROUP BY cid\n)`,
    `cv AS (\n  SELECT p.cid, SUM(CASE WHEN p.day = c.first_day THEN p.val ELSE 0 END) AS first_p,\n    SUM(CASE WHEN p.day <> c.first_day THEN p.val ELSE 0 END) AS repeat_p,\n    MIN(CASE WHEN p.day <> c.first_day THEN p.t0 END) AS second_t\n  FROM pd AS p JOIN cal AS c ON c.cid = p.cid WHERE p.hold = 0 GROUP BY p.cid\n)`,
    `rf AS (\n  SELECT e.cid, SUM(${x('ABS(COALESCE(e.v, 0))')}) AS refunds,\n    SUM(CASE WHEN x.second_t IS NOT NULL AND e.t >= x.second_t THEN ${x('ABS(COALESCE(e.v, 0))')} ELSE 0 END) AS repeat_r,\n    SUM(CASE WHEN x.second_t IS NOT NULL AND e.t >= x.second_t THEN 0 ELSE ${x('ABS(COALESCE(e.v, 0))')} END) AS first_r\n  FROM ev AS e JOIN cv AS x ON x.cid = e.cid WHERE e.${R} AND ${hold.replace(/\bt\b/g, 'e.t')} = 0 GROUP BY e.cid\n)`,
  ];
  const rep = 'x.repeat_p - COALESCE(r.repeat_r, 0)';
  const cols = [
    `c.cid AS ${q('customerId')}`,
    `${dbl('c.days - 1')} AS ${q('frequency')}`,
    `CASE WHEN c.days > 1 THEN ${dbl('c.last_day - c.first_day')} / ${per} ELSE 0 END AS ${q('recency')}`,
    `${dbl(`GREATEST(0, ${num(endDay)} - c.first_day)`)} / ${per} AS ${q('T')}`,
    `CASE WHEN c.days > 1 THEN ${dbl(rep)} / (c.days - 1) ELSE 0 END AS ${q('monetaryValue')}`,
    `${dbl('x.first_p + x.repeat_p - COALESCE(r.refunds, 0)')} AS ${q('totalValue')}`,
    `${dbl('x.first_p - COALESCE(r.first_r, 0)')} AS ${q('firstValue')}`,
    `${dbl('COALESCE(r.refunds, 0)')} AS ${q('refunds')}`,
    `${dbl('c.first_at')} AS ${q('firstPurchaseAt')}`,
    `${dbl('c.last_at')} AS ${q('lastPurchaseAt')}`,
  ];
  const joins = ['JOIN cv AS x ON x.cid = c.cid', 'LEFT JOIN rf AS r ON r.cid = c.cid'];
  if (calibrationEnd !== null) {
    ctes.push(
      `ho AS (\n  SELECT cid, COUNT(*) AS hdays, SUM(val) AS hval FROM pd WHERE hold = 1 GROUP BY cid\n)`,
      `hr AS (\n  SELECT cid, SUM(${x('ABS(COALESCE(v, 0))')}) AS hval FROM ev WHERE ${R} AND t > ${num(calibrationEnd)} GROUP BY cid\n)`,
    );
    joins.push('LEFT JOIN ho AS h ON h.cid = c.cid', 'LEFT JOIN hr ON hr.cid = c.cid');
    cols.push(
      `${dbl('COALESCE(h.hdays, 0)')} AS ${q('holdoutFrequency')}`,
      `CASE WHEN h.hdays > 0 THEN ${dbl('h.hval - COALESCE(hr.hval, 0)')} / h.hdays ELSE 0 END AS ${q('holdoutMonetaryValue')}`,
    );
  }
  return `${ctes.join(',\n')}\nSELECT\n  ${cols.join(',\n  ')}\nFROM cal AS c\n${joins.join('\n')}\nORDER BY ${d.binary('c.cid')}`;
}

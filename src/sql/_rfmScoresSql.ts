/**
 * The per-customer totals behind `rfmScores` as one SQL query: the last purchase, the number of
 * purchases and the net revenue (purchases − |refunds|, the library's one net-revenue rule) at or
 * before `asOf`, for customers with at least one purchase. `rfmScoresFromRows` scores them.
 * @module
 */
import { type Dialect, lit } from './dialect';

/**
 * Builds the RFM-score query body (after the CTE `ev`, which holds purchases and refunds at or
 * before `asOf`).
 * @internal
 */
export function rfmScoresQuery(d: Dialect, purchaseType: string, refundType: string): string {
  const q = d.quote;
  const dbl = (e: string): string => `CAST(${e} AS ${d.double})`;
  const P = `type = ${lit(purchaseType)}`;
  const R = `type = ${lit(refundType)}`;
  // Exact sums (Dialect.exact): the same to the last bit on every run.
  const cols = [
    `cid AS ${q('customerId')}`,
    `${dbl(`MAX(CASE WHEN ${P} THEN t END)`)} AS ${q('lastPurchaseAt')}`,
    `${dbl(`SUM(CASE WHEN ${P} THEN 1 ELSE 0 END)`)} AS ${q('purchases')}`,
    `${dbl(`SUM(CASE WHEN ${P} THEN ${d.exact('COALESCE(v, 0)')} ELSE 0 END)`)} AS ${q('spend')}`,
    `${dbl(`SUM(CASE WHEN ${R} THEN ${d.exact('ABS(COALESCE(v, 0))')} ELSE 0 END)`)} AS ${q('refunds')}`,
  ];
  return `SELECT\n  ${cols.join(',\n  ')}\nFROM ev\nGROUP BY cid\nHAVING SUM(CASE WHEN ${P} THEN 1 ELSE 0 END) > 0\nORDER BY ${d.binary('cid')}`;
}

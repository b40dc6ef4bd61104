/**
 * The per-customer aggregates behind `churnLabels` as one SQL query: the latest subscription start
 * and cancellation and the latest activity at or before `asOf`, and whether a cancellation or an
 * activity falls in the outcome window `(asOf, horizonEnd]`. `churnLabelsFromRows` applies the
 * definition (contractual / non-contractual, as `churnLabels` with its defaults).
 * @module
 */
import { type Dialect, num } from './dialect';

const SUB_START = "type IN ('subscription_started', 'subscription_changed', 'subscription_renewed')";
/** `churnLabels`' default activity types: purchase plus the activity vocabulary. */
const ACTIVE = "type IN ('purchase', 'login', 'session', 'feature_used')";

/**
 * Builds the label query body (after the CTE `ev`, which holds the events at or before `end`).
 * @internal
 */
export function churnLabelsQuery(d: Dialect, asOf: number, end: number): string {
  const q = d.quote;
  const dbl = (e: string): string => `CAST(${e} AS ${d.double})`;
  const a = num(asOf);
  const cols = [
    `cid AS ${q('customer_id')}`,
    `${dbl(`MAX(CASE WHEN ${SUB_START} AND t <= ${a} THEN t END)`)} AS ${q('last_sub_start')}`,
    `${dbl(`MAX(CASE WHEN type = 'subscription_cancelled' AND t <= ${a} THEN t END)`)} AS ${q('last_cancel')}`,
    `${dbl(`MAX(CASE WHEN ${ACTIVE} AND t <= ${a} THEN t END)`)} AS ${q('last_activity')}`,
    `${dbl(`MAX(CASE WHEN type = 'subscription_cancelled' AND t > ${a} THEN 1 ELSE 0 END)`)} AS ${q('cancel_after')}`,
    `${dbl(`MAX(CASE WHEN ${ACTIVE} AND t > ${a} THEN 1 ELSE 0 END)`)} AS ${q('active_after')}`,
  ];
  return `SELECT\n  ${cols.join(',\n  ')}\nFROM ev\nWHERE t <= ${num(end)}\nGROUP BY cid\nHAVING MIN(t) <= ${a}\nORDER BY ${d.binary('cid')}`;
}

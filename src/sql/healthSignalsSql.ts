/**
 * The per-customer health-signal aggregation as one SQL query (the SQL twin of `computeSignals` /
 * the scoring pass of `scoreHealth`).
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { SOURCE_BIT } from '../_lib/sources';
import { MS_PER_DAY } from '../_lib/time';
import { HEALTH_SIGNALS, type HealthSignalSpec } from '../health/healthSignals';
import {
  accountSql,
  activitySql,
  purchaseSql,
  queryParts,
  type SignalContext,
  supportSql,
} from './_signalSql';
import { ACT, lastValueCte, SUBSCRIPTION_TYPES } from './_sqlParts';
import { type Dialect, num } from './dialect';

/** One signal to compute: a built-in signal name and its window in days (default: the signal's default). */
export interface SqlSignalRequest {
  signal: string;
  days?: number;
}

/** A resolved request. @internal */
export interface ResolvedSignal {
  spec: HealthSignalSpec;
  days: number;
  column: string;
}

/**
 * Output column of a signal at a window: the signal name at its default window (or for signals
 * without a window), else `<signal>_<days>d`. Its detail column (the number explanations quote:
 * seats, MRR at the window start, earlier-window count, answers) is `<column>__detail`.
 */
export function signalColumn(signal: string, days: number | null | undefined): string {
  if (typeof signal !== 'string' || (days !== undefined && days !== null && typeof days !== 'number')) {
    throw new ValidationError('signalColumn', [
      { path: [], code: 'invalid_type', message: 'expected a signal name and a number of days (or null)' },
    ]);
  }
  const spec = Object.hasOwn(HEALTH_SIGNALS, signal) ? HEALTH_SIGNALS[signal] : undefined;
  if (spec === undefined || spec.defaultDays === null || days === undefined || days === null) return signal;
  return days === spec.defaultDays ? signal : `${signal}_${days}d`;
}

/** Source bits (as `_lib/sources` `SOURCE_BIT`) and the canonical types feeding them (`sourceBits`). */
const SOURCE_TYPES: readonly (readonly [number, readonly string[]])[] = [
  [SOURCE_BIT.activity, ['login', 'session', 'feature_used']],
  [SOURCE_BIT.purchases, ['purchase', 'refund']],
  [SOURCE_BIT.subscriptions, SUBSCRIPTION_TYPES],
  [SOURCE_BIT.billing, [...SUBSCRIPTION_TYPES, 'invoice_paid', 'payment_failed']],
  [SOURCE_BIT.support, ['ticket_opened', 'ticket_first_response', 'ticket_resolved', 'ticket_reopened']],
  [SOURCE_BIT.nps, ['nps_response']],
  [SOURCE_BIT.csat, ['csat_response']],
  [SOURCE_BIT.ces, ['ces_response']],
  [SOURCE_BIT.seats, ['seats_changed']],
  [SOURCE_BIT.csm, ['csm_rating']],
];

/**
 * Builds the health-signal query body (CTEs after `ev`, and the final SELECT).
 * @internal
 */
export function healthSignalsQuery(d: Dialect, asOf: number, signals: readonly ResolvedSignal[]): string {
  const dbl = (e: string): string => `CAST(${e} AS ${d.double})`;
  const b = (days: number): string => num(asOf - days * MS_PER_DAY);
  const q = queryParts(d, asOf);
  const { ctes, joins, aggCols, out } = q;
  q.need(
    'cancelled',
    () =>
      lastValueCte(
        d,
        'cx',
        "type IN ('subscription_started', 'subscription_changed', 'subscription_renewed', 'subscription_cancelled')",
        "CASE WHEN type = 'subscription_cancelled' THEN 1 ELSE 0 END",
      ),
    'LEFT JOIN cx ON cx.cid = a.cid',
  );
  q.seats();

  signals.forEach((s, i) => {
    const col = d.quote(s.column);
    const det = d.quote(`${s.column}__detail`);
    const p = `x${i}`;
    const agg = (name: string, expr: string): string => {
      aggCols.push(`${expr} AS ${p}_${name}`);
      return `a.${p}_${name}`;
    };
    const amount = (type: string, lo: string, hi?: string): string =>
      `SUM(CASE WHEN type = '${type}' AND t > ${lo}${hi === undefined ? '' : ` AND t <= ${hi}`} THEN ${d.exact('ABS(COALESCE(v, 0))')} ELSE 0 END)`;
    const actIn = (lo: string, hi?: string): string =>
      `SUM(CASE WHEN ${ACT} AND t > ${lo}${hi === undefined ? '' : ` AND t <= ${hi}`} THEN 1 ELSE 0 END)`;
    const c: SignalContext = { q, d, asOf, s, p, w: b(s.days), dbl, b, agg, actIn, amount };
    const r = activitySql(c) ?? supportSql(c) ?? accountSql(c) ?? purchaseSql(c);
    if (r === undefined) throw new Error(`healthSignalsQuery: signal "${s.spec.name}" has no SQL form`);
    out.push(`${dbl(r.value)} AS ${col}`, `${dbl(r.detail)} AS ${det}`);
  });
  const bits = SOURCE_TYPES.map(
    ([bit, types]) =>
      `MAX(CASE WHEN type IN (${types.map((t) => `'${t}'`).join(', ')}) THEN ${bit} ELSE 0 END)`,
  );
  ctes.push(
    `ds AS (\n  SELECT ${bits.join(' +\n    ')} AS mask, MIN(t) AS first_t, MAX(t) AS last_t\n  FROM ev_all\n)`,
  );
  joins.push('CROSS JOIN ds');
  out.push(
    `${dbl('ds.mask')} AS ${d.quote('__ds_sources')}`,
    `${dbl('ds.first_t')} AS ${d.quote('__ds_first_at')}`,
    `${dbl('ds.last_t')} AS ${d.quote('__ds_last_at')}`,
  );
  const all = [`agg AS (\n  SELECT ${aggCols.join(',\n    ')}\n  FROM ev GROUP BY cid\n)`, ...ctes];
  return [
    all.map((c) => `${c}`).join(',\n'),
    `SELECT\n  ${out.join(',\n  ')}\nFROM agg AS a\n${joins.filter((j) => j !== '').join('\n')}\nORDER BY ${d.binary('a.cid')}`,
  ].join('\n');
}

/**
 * The per-customer health-signal aggregation as one SQL query (the SQL twin of `computeSignals` /
 * the scoring pass of `scoreHealth`).
 * @module
 */
import { ValidationError } from '../_lib/errors';
import { SOURCE_BIT } from '../_lib/sources';
import { MS_PER_DAY, MS_PER_HOUR } from '../_lib/time';
import { HEALTH_SIGNALS, type HealthSignalSpec } from '../health/healthSignals';
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

const ACT = "type IN ('login', 'session', 'feature_used')";
const SUBSCRIPTION_TYPES = [
  'subscription_started',
  'subscription_changed',
  'subscription_renewed',
  'subscription_cancelled',
];
const BILLING =
  "type IN ('payment_failed', 'invoice_paid', 'subscription_started', 'subscription_changed', 'subscription_renewed', 'subscription_cancelled')";
const HIGH = "priority IN ('high', 'urgent', 'critical', 'p1', 'p0')";
const MRR_SET =
  "((type IN ('subscription_started', 'subscription_changed', 'subscription_renewed') AND v IS NOT NULL) OR type = 'subscription_cancelled')";
const MAX_SLOPE_DAYS = 371;

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
const D = num(MS_PER_DAY);

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

/**
 * Builds the health-signal query body (CTEs after `ev`, and the final SELECT).
 * @internal
 */
export function healthSignalsQuery(d: Dialect, asOf: number, signals: readonly ResolvedSignal[]): string {
  const dbl = (e: string): string => `CAST(${e} AS ${d.double})`;
  const b = (days: number): string => num(asOf - days * MS_PER_DAY);
  const ctes: string[] = [];
  const joins: string[] = [];
  const aggCols: string[] = [
    'cid',
    'COUNT(*) AS n_events',
    'MIN(t) AS first_t',
    `SUM(CASE WHEN ${ACT} THEN 1 ELSE 0 END) AS n_act`,
    `MAX(CASE WHEN ${ACT} THEN t END) AS last_act`,
    `MAX(CASE WHEN ${ACT} AND user_id IS NOT NULL THEN 1 ELSE 0 END) AS saw_user`,
    `MAX(CASE WHEN ${BILLING} THEN 1 ELSE 0 END) AS billing`,
    "MAX(CASE WHEN type = 'purchase' THEN t END) AS last_purchase",
  ];
  const out: string[] = [
    `a.cid AS ${d.quote('customer_id')}`,
    `${dbl('a.n_events')} AS ${d.quote('__events')}`,
    `${dbl('a.first_t')} AS ${d.quote('__first_at')}`,
    `CASE WHEN cx.val = 1 THEN TRUE ELSE FALSE END AS ${d.quote('__cancelled')}`,
    `${dbl('se.val')} AS ${d.quote('__seats')}`,
  ];
  const once = new Set<string>();
  const need = (key: string, cte: () => string, join: string): void => {
    if (once.has(key)) return;
    once.add(key);
    ctes.push(cte());
    joins.push(join);
  };
  need(
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
  const mrrFinal = (): void =>
    need(
      'mrr',
      () => lastValueCte(d, 'mr', MRR_SET, "CASE WHEN type = 'subscription_cancelled' THEN 0 ELSE v END"),
      'LEFT JOIN mr ON mr.cid = a.cid',
    );
  const seats = (): void =>
    need(
      'seats',
      () => lastValueCte(d, 'se', "type = 'seats_changed' AND v IS NOT NULL", 'v'),
      'LEFT JOIN se ON se.cid = a.cid',
    );
  const tickets = (): void => need('tk', () => ticketCte(d), '');
  seats();
  const hasAct = 'a.n_act > 0';
  const sawUser = 'a.saw_user = 1';

  signals.forEach((s, i) => {
    const col = d.quote(s.column);
    const det = d.quote(`${s.column}__detail`);
    const p = `x${i}`;
    const w = b(s.days);
    let value = 'NULL';
    let detail = 'NULL';
    const agg = (name: string, expr: string): string => {
      aggCols.push(`${expr} AS ${p}_${name}`);
      return `a.${p}_${name}`;
    };
    const amount = (type: string, lo: string, hi?: string): string =>
      `SUM(CASE WHEN type = '${type}' AND t > ${lo}${hi === undefined ? '' : ` AND t <= ${hi}`} THEN ${d.exact('ABS(COALESCE(v, 0))')} ELSE 0 END)`;
    const actIn = (lo: string, hi?: string): string =>
      `SUM(CASE WHEN ${ACT} AND t > ${lo}${hi === undefined ? '' : ` AND t <= ${hi}`} THEN 1 ELSE 0 END)`;
    switch (s.spec.name) {
      case 'activeDays':
        value = `CASE WHEN ${hasAct} THEN ${agg('v', `COUNT(DISTINCT CASE WHEN ${ACT} AND t > ${w} THEN FLOOR(t / ${D}) END)`)} END`;
        break;
      case 'logins':
        value = `CASE WHEN ${hasAct} THEN ${agg('v', `SUM(CASE WHEN type = 'login' AND t > ${w} THEN 1 ELSE 0 END)`)} END`;
        break;
      case 'activityEvents':
        value = `CASE WHEN ${hasAct} THEN ${agg('v', actIn(w))} END`;
        break;
      case 'activeUsers':
      case 'licenseUtilisation':
      case 'activityPerUser': {
        const u = agg('u', `COUNT(DISTINCT CASE WHEN ${ACT} AND t > ${w} THEN user_id END)`);
        if (s.spec.name === 'activeUsers') value = `CASE WHEN ${sawUser} THEN ${u} END`;
        else if (s.spec.name === 'activityPerUser') {
          const act = agg('a', actIn(w));
          value = `CASE WHEN ${sawUser} AND ${u} > 0 THEN ${dbl(act)} / ${u} END`;
          detail = `CASE WHEN ${sawUser} THEN ${u} END`;
        } else {
          seats();
          value = `CASE WHEN ${sawUser} AND se.val > 0 THEN ${dbl(u)} / se.val END`;
          detail = `CASE WHEN ${sawUser} AND se.val > 0 THEN se.val END`;
          out.push(`${dbl(`CASE WHEN ${sawUser} THEN ${u} END`)} AS ${d.quote(`${s.column}__users`)}`);
        }
        break;
      }
      case 'usageTrend':
      case 'usageVsBaseline': {
        const cur = agg('c', actIn(w));
        const far = b(s.days * (s.spec.name === 'usageTrend' ? 2 : 4));
        const before = agg('b', actIn(far, w));
        const base = s.spec.name === 'usageTrend' ? dbl(before) : `(${dbl(before)} / 3)`;
        value = `CASE WHEN ${hasAct} AND ${before} > 0 THEN ((${dbl(cur)} - ${base}) / ${base}) * 100 END`;
        detail = `CASE WHEN ${hasAct} THEN ${base} END`;
        break;
      }
      case 'usageSlope': {
        const dd = Math.min(s.days, MAX_SLOPE_DAYS);
        const weeks = Math.max(2, Math.floor(dd / 7));
        const limit = Math.min(weeks * 7, dd);
        const series = Array.from({ length: weeks }, (_, k) => `SELECT ${k} AS i`).join(' UNION ALL ');
        ctes.push(
          `${p}d AS (\n  SELECT cid, FLOOR(FLOOR((${num(asOf)} - t) / ${D}) / 7) AS wk, COUNT(*) AS c\n  FROM ev WHERE ${ACT} AND t > ${num(asOf - limit * MS_PER_DAY)}\n  GROUP BY cid, FLOOR(FLOOR((${num(asOf)} - t) / ${D}) / 7)\n)`,
          `${p}w AS (\n  SELECT c.cid, s.i, COALESCE(x.c, 0) AS c\n  FROM (SELECT DISTINCT cid FROM ${p}d) AS c CROSS JOIN (${series}) AS s\n  LEFT JOIN ${p}d AS x ON x.cid = c.cid AND x.wk = ${weeks - 1} - s.i\n)`,
          `${p}p AS (\n  SELECT l.cid, ${dbl('r.c - l.c')} / (r.i - l.i) AS s\n  FROM ${p}w AS l JOIN ${p}w AS r ON l.cid = r.cid AND l.i < r.i\n)`,
          medianCte(d, `${p}m`, `${p}p`, 's', '1 = 1'),
          `${p}t AS (SELECT cid, SUM(c) AS total FROM ${p}d GROUP BY cid)`,
        );
        joins.push(`LEFT JOIN ${p}m ON ${p}m.cid = a.cid`, `LEFT JOIN ${p}t ON ${p}t.cid = a.cid`);
        value = `CASE WHEN ${p}t.total > 0 THEN (${p}m.med / (${dbl(`${p}t.total`)} / ${weeks})) * 100 END`;
        break;
      }
      case 'featureBreadth':
      case 'featureDepth': {
        const f = agg('f', `COUNT(DISTINCT CASE WHEN type = 'feature_used' AND t > ${w} THEN feature END)`);
        if (s.spec.name === 'featureBreadth') value = `CASE WHEN ${hasAct} THEN ${f} END`;
        else {
          const uses = agg(
            'n',
            `SUM(CASE WHEN type = 'feature_used' AND t > ${w} THEN ${d.exact('COALESCE(v, 1)')} ELSE 0 END)`,
          );
          value = `CASE WHEN ${hasAct} AND ${f} > 0 THEN ${dbl(uses)} / ${f} END`;
        }
        break;
      }
      case 'daysSinceActivity':
        value = `CASE WHEN ${hasAct} THEN (${num(asOf)} - a.last_act) / ${D} END`;
        break;
      case 'openTickets':
        tickets();
        need(
          'open',
          () =>
            "ot AS (SELECT cid, SUM(CASE WHEN rdesc = 1 AND type = 'ticket_opened' THEN 1 ELSE 0 END) AS n FROM tk GROUP BY cid)",
          'LEFT JOIN ot ON ot.cid = a.cid',
        );
        value = 'COALESCE(ot.n, 0)';
        break;
      case 'ticketRate':
        value = `(${dbl(agg('v', `SUM(CASE WHEN type = 'ticket_opened' AND t > ${w} THEN 1 ELSE 0 END)`))} * 30) / ${num(s.days)}`;
        break;
      case 'highPriorityTickets':
        value = agg('v', `SUM(CASE WHEN type = 'ticket_opened' AND t > ${w} AND ${HIGH} THEN 1 ELSE 0 END)`);
        break;
      case 'medianResolutionHours':
        tickets();
        need(
          'res',
          () =>
            "rs AS (SELECT cid, t, t - pt AS dur FROM tk WHERE type = 'ticket_resolved' AND ptype = 'ticket_opened')",
          '',
        );
        ctes.push(medianCte(d, `${p}m`, 'rs', 'dur', `t > ${w}`));
        joins.push(`LEFT JOIN ${p}m ON ${p}m.cid = a.cid`);
        value = `${p}m.med / ${num(MS_PER_HOUR)}`;
        break;
      case 'npsLatest':
        need(
          'nps',
          () => lastValueCte(d, 'np', "type = 'nps_response' AND v IS NOT NULL", 'v'),
          'LEFT JOIN np ON np.cid = a.cid',
        );
        value = 'np.val';
        break;
      case 'npsAverage':
      case 'csatAverage':
      case 'cesAverage': {
        const type =
          s.spec.name === 'npsAverage'
            ? 'nps_response'
            : s.spec.name === 'csatAverage'
              ? 'csat_response'
              : 'ces_response';
        const cond = `type = '${type}' AND v IS NOT NULL AND t > ${w}`;
        const sum = agg('s', `SUM(CASE WHEN ${cond} THEN ${d.exact('v')} ELSE 0 END)`);
        const cnt = agg('n', `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`);
        value = `CASE WHEN ${cnt} > 0 THEN ${dbl(sum)} / ${cnt} END`;
        detail = cnt;
        break;
      }
      case 'failedPayments':
        value = `CASE WHEN a.billing = 1 THEN ${agg('v', `SUM(CASE WHEN type = 'payment_failed' AND t > ${w} THEN 1 ELSE 0 END)`)} END`;
        break;
      case 'mrrChange': {
        mrrFinal();
        ctes.push(
          lastValueCte(
            d,
            `${p}s`,
            `${MRR_SET} AND t <= ${w}`,
            "CASE WHEN type = 'subscription_cancelled' THEN 0 ELSE v END",
          ),
        );
        joins.push(`LEFT JOIN ${p}s ON ${p}s.cid = a.cid`);
        value = `CASE WHEN ${p}s.val > 0 AND mr.val IS NOT NULL THEN ((mr.val - ${p}s.val) / ${p}s.val) * 100 END`;
        detail = `${p}s.val`;
        break;
      }
      case 'mrr':
        mrrFinal();
        value = 'mr.val';
        break;
      case 'seats':
        seats();
        value = 'se.val';
        break;
      case 'daysToRenewal':
        // Profile-only: filled in by the row adapter from `profiles`.
        value = 'NULL';
        break;
      case 'tenureDays':
        value = `(${num(asOf)} - a.first_t) / ${D}`;
        break;
      case 'csmRating':
        need(
          'csm',
          () => lastValueCte(d, 'cs', "type = 'csm_rating' AND v IS NOT NULL", 'v'),
          'LEFT JOIN cs ON cs.cid = a.cid',
        );
        value = 'cs.val';
        break;
      case 'daysSincePurchase':
        value = `CASE WHEN a.last_purchase IS NOT NULL THEN (${num(asOf)} - a.last_purchase) / ${D} END`;
        break;
      case 'purchases':
        value = `CASE WHEN a.last_purchase IS NOT NULL THEN ${agg('v', `COUNT(DISTINCT CASE WHEN type = 'purchase' AND t > ${w} THEN t END)`)} END`;
        break;
      case 'spend':
      case 'spendTrend':
      case 'refundRate': {
        const bought = agg('b', amount('purchase', w));
        if (s.spec.name === 'spend') {
          const refunded = agg('r', amount('refund', w));
          value = `CASE WHEN a.last_purchase IS NOT NULL THEN ${dbl(bought)} - ${refunded} END`;
        } else if (s.spec.name === 'refundRate') {
          const refunded = agg('r', amount('refund', w));
          value = `CASE WHEN a.last_purchase IS NOT NULL AND ${bought} > 0 THEN ${dbl(refunded)} / ${bought} END`;
          detail = `CASE WHEN a.last_purchase IS NOT NULL THEN ${bought} END`;
        } else {
          const before = agg('p', amount('purchase', b(s.days * 2), w));
          value = `CASE WHEN a.last_purchase IS NOT NULL AND ${before} > 0 THEN ((${dbl(bought)} - ${before}) / ${before}) * 100 END`;
          detail = `CASE WHEN a.last_purchase IS NOT NULL THEN ${before} END`;
        }
        break;
      }
      default:
        throw new Error(`healthSignalsQuery: signal "${s.spec.name}" has no SQL form`);
    }
    out.push(`${dbl(value)} AS ${col}`, `${dbl(detail)} AS ${det}`);
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

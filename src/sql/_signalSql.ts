/**
 * The SQL of each health signal (private to `healthSignalsSql`): the value and detail expressions of
 * one signal, and the aggregates, CTEs and joins it adds to the query being built.
 * @module
 */
import { MS_PER_DAY, MS_PER_HOUR } from '../_lib/time';
import {
  ACT,
  BILLING,
  D,
  HIGH,
  lastValueCte,
  MAX_SLOPE_DAYS,
  MRR_SET,
  medianCte,
  ticketCte,
} from './_sqlParts';
import { type Dialect, num } from './dialect';
import type { ResolvedSignal } from './healthSignalsSql';

/** The parts of the query being built: CTEs, joins, per-customer aggregates and output columns. */
export interface QueryParts {
  d: Dialect;
  asOf: number;
  ctes: string[];
  joins: string[];
  aggCols: string[];
  out: string[];
  /** Adds a shared CTE (and its join) once, under `key`. */
  need(key: string, cte: () => string, join: string): void;
  /** The final MRR per customer (`mr.val`). */
  mrrFinal(): void;
  /** The last seat count per customer (`se.val`). */
  seats(): void;
  /** The ticket sequence (`tk`). */
  tickets(): void;
}

/** One signal being built: its aggregate prefix, window bound and the fragment builders. */
export interface SignalContext {
  q: QueryParts;
  d: Dialect;
  asOf: number;
  s: ResolvedSignal;
  /** Prefix of its aggregate columns and CTEs (`x<i>`). */
  p: string;
  /** Lower bound (exclusive) of its window. */
  w: string;
  dbl(e: string): string;
  /** Lower bound of a window of `days`. */
  b(days: number): string;
  /** Adds a per-customer aggregate; returns its column in the final SELECT. */
  agg(name: string, expr: string): string;
  actIn(lo: string, hi?: string): string;
  amount(type: string, lo: string, hi?: string): string;
}

/** The value and detail expressions of one signal; `undefined` when another group handles it. */
export type SignalSql = { value: string; detail: string } | undefined;

const hasAct = 'a.n_act > 0';
const sawUser = 'a.saw_user = 1';

/** The empty query: the base aggregates and output columns every query has. */
export function queryParts(d: Dialect, asOf: number): QueryParts {
  const dbl = (e: string): string => `CAST(${e} AS ${d.double})`;
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
  return {
    d,
    asOf,
    ctes,
    joins,
    aggCols,
    out,
    need,
    mrrFinal: () =>
      need(
        'mrr',
        () => lastValueCte(d, 'mr', MRR_SET, "CASE WHEN type = 'subscription_cancelled' THEN 0 ELSE v END"),
        'LEFT JOIN mr ON mr.cid = a.cid',
      ),
    seats: () =>
      need(
        'seats',
        () => lastValueCte(d, 'se', "type = 'seats_changed' AND v IS NOT NULL", 'v'),
        'LEFT JOIN se ON se.cid = a.cid',
      ),
    tickets: () => need('tk', () => ticketCte(d), ''),
  };
}

/** Activity signals: days, logins, events, users, trends, slope, features, recency. */
export function activitySql(c: SignalContext): SignalSql {
  const { s, w, agg, actIn, dbl } = c;
  let value = 'NULL';
  let detail = 'NULL';
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
    case 'activityPerUser':
      return userSql(c);
    case 'usageTrend':
    case 'usageVsBaseline': {
      const cur = agg('c', actIn(w));
      const far = c.b(s.days * (s.spec.name === 'usageTrend' ? 2 : 4));
      const before = agg('b', actIn(far, w));
      const base = s.spec.name === 'usageTrend' ? dbl(before) : `(${dbl(before)} / 3)`;
      value = `CASE WHEN ${hasAct} AND ${before} > 0 THEN ((${dbl(cur)} - ${base}) / ${base}) * 100 END`;
      detail = `CASE WHEN ${hasAct} THEN ${base} END`;
      break;
    }
    case 'usageSlope':
      return usageSlopeSql(c);
    case 'featureBreadth':
    case 'featureDepth': {
      const f = agg('f', `COUNT(DISTINCT CASE WHEN type = 'feature_used' AND t > ${w} THEN feature END)`);
      if (s.spec.name === 'featureBreadth') value = `CASE WHEN ${hasAct} THEN ${f} END`;
      else {
        const uses = agg(
          'n',
          `SUM(CASE WHEN type = 'feature_used' AND t > ${w} THEN ${c.d.exact('COALESCE(v, 1)')} ELSE 0 END)`,
        );
        value = `CASE WHEN ${hasAct} AND ${f} > 0 THEN ${dbl(uses)} / ${f} END`;
      }
      break;
    }
    case 'daysSinceActivity':
      value = `CASE WHEN ${hasAct} THEN (${num(c.asOf)} - a.last_act) / ${D} END`;
      break;
    default:
      return undefined;
  }
  return { value, detail };
}

/** activeUsers, licenseUtilisation, activityPerUser: distinct users in the window. */
function userSql({ q, d, s, w, agg, actIn, dbl }: SignalContext): SignalSql {
  let value = 'NULL';
  let detail = 'NULL';
  const u = agg('u', `COUNT(DISTINCT CASE WHEN ${ACT} AND t > ${w} THEN user_id END)`);
  if (s.spec.name === 'activeUsers') value = `CASE WHEN ${sawUser} THEN ${u} END`;
  else if (s.spec.name === 'activityPerUser') {
    const act = agg('a', actIn(w));
    value = `CASE WHEN ${sawUser} AND ${u} > 0 THEN ${dbl(act)} / ${u} END`;
    detail = `CASE WHEN ${sawUser} THEN ${u} END`;
  } else {
    q.seats();
    value = `CASE WHEN ${sawUser} AND se.val > 0 THEN ${dbl(u)} / se.val END`;
    detail = `CASE WHEN ${sawUser} AND se.val > 0 THEN se.val END`;
    q.out.push(`${dbl(`CASE WHEN ${sawUser} THEN ${u} END`)} AS ${d.quote(`${s.column}__users`)}`);
  }
  return { value, detail };
}

/** usageSlope: the median pairwise slope of weekly activity counts, relative to the weekly mean. */
function usageSlopeSql({ q, d, asOf, s, p, dbl }: SignalContext): SignalSql {
  const dd = Math.min(s.days, MAX_SLOPE_DAYS);
  const weeks = Math.max(2, Math.floor(dd / 7));
  const limit = Math.min(weeks * 7, dd);
  const series = Array.from({ length: weeks }, (_, k) => `SELECT ${k} AS i`).join(' UNION ALL ');
  q.ctes.push(
    `${p}d AS (\n  SELECT cid, FLOOR(FLOOR((${num(asOf)} - t) / ${D}) / 7) AS wk, COUNT(*) AS c\n  FROM ev WHERE ${ACT} AND t > ${num(asOf - limit * MS_PER_DAY)}\n  GROUP BY cid, FLOOR(FLOOR((${num(asOf)} - t) / ${D}) / 7)\n)`,
    `${p}w AS (\n  SELECT c.cid, s.i, COALESCE(x.c, 0) AS c\n  FROM (SELECT DISTINCT cid FROM ${p}d) AS c CROSS JOIN (${series}) AS s\n  LEFT JOIN ${p}d AS x ON x.cid = c.cid AND x.wk = ${weeks - 1} - s.i\n)`,
    `${p}p AS (\n  SELECT l.cid, ${dbl('r.c - l.c')} / (r.i - l.i) AS s\n  FROM ${p}w AS l JOIN ${p}w AS r ON l.cid = r.cid AND l.i < r.i\n)`,
    medianCte(d, `${p}m`, `${p}p`, 's', '1 = 1'),
    `${p}t AS (SELECT cid, SUM(c) AS total FROM ${p}d GROUP BY cid)`,
  );
  q.joins.push(`LEFT JOIN ${p}m ON ${p}m.cid = a.cid`, `LEFT JOIN ${p}t ON ${p}t.cid = a.cid`);
  return {
    value: `CASE WHEN ${p}t.total > 0 THEN (${p}m.med / (${dbl(`${p}t.total`)} / ${weeks})) * 100 END`,
    detail: 'NULL',
  };
}

/** Support and survey signals: tickets, resolution time, NPS / CSAT / CES. */
export function supportSql({ q, d, s, p, w, agg, dbl }: SignalContext): SignalSql {
  let value = 'NULL';
  let detail = 'NULL';
  switch (s.spec.name) {
    case 'openTickets':
      q.tickets();
      q.need(
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
      q.tickets();
      q.need(
        'res',
        () =>
          "rs AS (SELECT cid, t, t - pt AS dur FROM tk WHERE type = 'ticket_resolved' AND ptype = 'ticket_opened')",
        '',
      );
      q.ctes.push(medianCte(d, `${p}m`, 'rs', 'dur', `t > ${w}`));
      q.joins.push(`LEFT JOIN ${p}m ON ${p}m.cid = a.cid`);
      value = `${p}m.med / ${num(MS_PER_HOUR)}`;
      break;
    case 'npsLatest':
      q.need(
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
    default:
      return undefined;
  }
  return { value, detail };
}

/** Account signals: billing, MRR, seats, renewal, tenure, CSM rating. */
export function accountSql({ q, d, asOf, s, p, w, agg }: SignalContext): SignalSql {
  let value = 'NULL';
  let detail = 'NULL';
  switch (s.spec.name) {
    case 'failedPayments':
      value = `CASE WHEN a.billing = 1 THEN ${agg('v', `SUM(CASE WHEN type = 'payment_failed' AND t > ${w} THEN 1 ELSE 0 END)`)} END`;
      break;
    case 'mrrChange': {
      q.mrrFinal();
      q.ctes.push(
        lastValueCte(
          d,
          `${p}s`,
          `${MRR_SET} AND t <= ${w}`,
          "CASE WHEN type = 'subscription_cancelled' THEN 0 ELSE v END",
        ),
      );
      q.joins.push(`LEFT JOIN ${p}s ON ${p}s.cid = a.cid`);
      value = `CASE WHEN ${p}s.val > 0 AND mr.val IS NOT NULL THEN ((mr.val - ${p}s.val) / ${p}s.val) * 100 END`;
      detail = `${p}s.val`;
      break;
    }
    case 'mrr':
      q.mrrFinal();
      value = 'mr.val';
      break;
    case 'seats':
      q.seats();
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
      q.need(
        'csm',
        () => lastValueCte(d, 'cs', "type = 'csm_rating' AND v IS NOT NULL", 'v'),
        'LEFT JOIN cs ON cs.cid = a.cid',
      );
      value = 'cs.val';
      break;
    default:
      return undefined;
  }
  return { value, detail };
}

/** Purchase signals: recency, purchases, spend, its trend, refund rate. */
export function purchaseSql({ asOf, s, w, agg, amount, dbl, b }: SignalContext): SignalSql {
  let value = 'NULL';
  let detail = 'NULL';
  switch (s.spec.name) {
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
      return undefined;
  }
  return { value, detail };
}

/**
 * rfmScores' scoring of per-customer totals: recency days, frequency and monetary value scored into
 * bins by mid-ranks, cutoffs, warnings, and the customers in id order. Shared by the event and store
 * passes, the SQL path (`rfmScoresFromRows`), the CLI and the report; re-exported by rfmScores.ts.
 * @module
 */

import { fmtMoney } from '../_lib/format';
import { snapNearTies } from '../_lib/nearTies';
import { MS_PER_DAY } from '../_lib/time';
import type { VitalsWarning } from '../types';
import { fmtNum } from './_util';
import type { RfmCutoffs, RfmResult, RfmScore, RfmWarningCode } from './rfmScores';

/** Per-customer totals (customer i: last purchase time, purchases, Σ purchases, Σ |refunds|). @internal */
export interface RfmTotals {
  ids: string[];
  last: Float64Array;
  count: Float64Array;
  spend: Float64Array;
  refunds: Float64Array;
  /** Number of customers (the arrays may be longer). */
  m: number;
}

/**
 * Totals of no customer yet, with room for `nc`: last purchase −∞, counts and sums 0. Filled by
 * both store readers (`storeRfmTotals` here, `storeRevenueTotals` in clv). @internal
 */
export function emptyRfmTotals(nc: number): RfmTotals {
  return {
    ids: [],
    last: new Float64Array(nc).fill(Number.NEGATIVE_INFINITY),
    count: new Float64Array(nc),
    spend: new Float64Array(nc),
    refunds: new Float64Array(nc),
    m: 0,
  };
}

/**
 * Scores per-customer totals (the part of `rfmScores` after the event pass; also used by the SQL
 * path's `rfmScoresFromRows`). Overwrites the arrays. @internal
 */
export function rfmFromTotals(
  totals: RfmTotals,
  asOf: number,
  bins: number,
  average: boolean,
  currency: string | undefined,
): RfmResult {
  const { ids, m } = totals;
  const count = totals.count;
  // Keep customers with at least one purchase.
  let n = 0;
  for (let i = 0; i < m; i++) if ((count[i] as number) > 0) n++;
  if (n === 0) {
    const empty: RfmCutoffs = { recency: [], frequency: [], monetary: [] };
    return {
      customers: [],
      n: 0,
      bins,
      asOf,
      cutoffs: empty,
      reason: m === 0 ? 'no purchases on or before asOf' : 'only refunds, no purchases, on or before asOf',
      warnings: [],
    };
  }
  compactTotals(totals, asOf, average);
  const rec = totals.last.subarray(0, n);
  const freq = count.subarray(0, n);
  const mon = totals.spend.subarray(0, n);
  const r = scoreColumn(rec, bins, true);
  const f = scoreColumn(freq, bins, false);
  // Monetary sums may differ in the last bits by summation order: near-ties are ties (_lib/nearTies).
  const mm = scoreColumn(snapNearTies(mon), bins, false);
  const customers = scoredCustomers(ids, n, rec, freq, mon, r.scores, f.scores, mm.scores);
  return {
    customers,
    n,
    bins,
    asOf,
    cutoffs: { recency: r.cutoffs, frequency: f.cutoffs, monetary: mm.cutoffs },
    reason: null,
    warnings: [
      ...rfmWarnings(n, bins, [
        [
          'recency',
          r.distinct,
          `${fmtNum(rec[0] as number)} day${rec[0] === 1 ? '' : 's'} since the last purchase`,
          'R',
        ],
        ['frequency', f.distinct, `${fmtNum(freq[0] as number)} purchase${freq[0] === 1 ? '' : 's'}`, 'F'],
        [
          'monetary value',
          mm.distinct,
          fmtMoney(mon[0] as number, currency === undefined ? {} : { currency }),
          'M',
        ],
      ]),
      ...staleTopRecency(rec, r.scores, n, bins),
    ],
  };
}

/** Days without a purchase beyond which a top recency score is worth a warning. */
const STALE_DAYS = 365;

/**
 * `stale_top_recency`: R scores rank customers against each other, so in a base that has mostly
 * stopped buying the top R scores (4-5 of 5) can go to customers whose last purchase is over a year
 * old. Said, with how many and how old, so that "Champions" there are read as relative.
 */
function staleTopRecency(
  rec: ArrayLike<number>,
  scores: ArrayLike<number>,
  n: number,
  bins: number,
): VitalsWarning<RfmWarningCode>[] {
  const lowest = bins >= 4 ? bins - 1 : bins;
  let top = 0;
  let stale = 0;
  let oldest = 0;
  for (let i = 0; i < n; i++) {
    if ((scores[i] as number) < lowest) continue;
    top++;
    const d = rec[i] as number;
    if (d > STALE_DAYS) {
      stale++;
      if (d > oldest) oldest = d;
    }
  }
  if (stale === 0) return [];
  const scored = lowest === bins ? `R ${bins}` : `R ${lowest}-${bins}`;
  return [
    {
      code: 'stale_top_recency',
      message: `R scores rank customers against each other: ${fmtNum(stale)} of the ${fmtNum(top)} customers scored ${scored} last bought more than ${STALE_DAYS} days before asOf (up to ${fmtNum(oldest)} days), so at least half of the customers have not bought for a year, and a high R (and segments such as Champions) is relative, not recent`,
    },
  ];
}

/**
 * Compacts the totals in place (j <= i) to the customers with a purchase: last → recency days,
 * count → frequency, spend → monetary (net of refunds; per purchase when `average`), ids → kept ids.
 */
function compactTotals(totals: RfmTotals, asOf: number, average: boolean): void {
  const { ids, m, last, count, spend, refunds } = totals;
  for (let i = 0, j = 0; i < m; i++) {
    const c = count[i] as number;
    if (c === 0) continue;
    ids[j] = ids[i] as string;
    last[j] = Math.floor((asOf - (last[i] as number)) / MS_PER_DAY);
    count[j] = c;
    const net = (spend[i] as number) - (refunds[i] as number);
    spend[j] = average ? net / c : net;
    j++;
  }
}

/** The scored customers in ascending id order (code units). */
function scoredCustomers(
  ids: readonly string[],
  n: number,
  rec: Float64Array,
  freq: Float64Array,
  mon: Float64Array,
  rScores: ArrayLike<number>,
  fScores: ArrayLike<number>,
  mScores: ArrayLike<number>,
): RfmScore[] {
  const codes = codeTable();
  const order = idOrder(ids, n);
  const customers: RfmScore[] = new Array(n);
  for (let q = 0; q < n; q++) {
    const j = order === null ? q : (order[q] as number);
    const rs = rScores[j] as number;
    const fs = fScores[j] as number;
    const ms = mScores[j] as number;
    customers[q] = {
      customerId: ids[j] as string,
      recencyDays: rec[j] as number,
      frequency: freq[j] as number,
      monetary: mon[j] as number,
      r: rs,
      f: fs,
      m: ms,
      code: codes[(rs * 10 + fs) * 10 + ms] as string,
    };
  }
  return customers;
}

function rfmWarnings(
  n: number,
  bins: number,
  cols: readonly [string, number, string, string][],
): VitalsWarning<RfmWarningCode>[] {
  const out: VitalsWarning<RfmWarningCode>[] = [];
  const mid = Math.min(bins, 1 + Math.floor(bins / 2));
  if (n > 1) {
    for (const [name, distinct, value, letter] of cols) {
      if (distinct !== 1) continue;
      out.push({
        code: 'no_spread',
        message: `all ${n} customers have the same ${name} (${value}), so ${letter} is ${mid} (the middle score) for everyone and tells them apart by nothing`,
      });
    }
  }
  if (n < bins) {
    out.push({
      code: 'few_customers',
      message: `only ${n} customer${n === 1 ? '' : 's'} for ${bins} bins: scores are ranks among ${n === 1 ? 'one customer (every score is the middle one)' : `${n} customers`}`,
    });
  }
  return out;
}

/**
 * Positions of `ids[0..n)` in ascending code-unit order, or null when already in that order (as
 * timelines from `groupByCustomer` are). `Array.prototype.sort` without a comparator compares UTF-16
 * code units, like `compareCodeUnits`.
 */
function idOrder(ids: readonly string[], n: number): Uint32Array | null {
  let sorted = true;
  for (let j = 1; j < n && sorted; j++) if ((ids[j - 1] as string) > (ids[j] as string)) sorted = false;
  if (sorted) return null;
  const pos = new Map<string, number>();
  for (let j = 0; j < n; j++) pos.set(ids[j] as string, j);
  const keys = ids.slice(0, n).sort();
  const order = new Uint32Array(n);
  for (let q = 0; q < n; q++) order[q] = pos.get(keys[q] as string) as number;
  return order;
}

let cachedCodes: string[] | null = null;
function codeTable(): string[] {
  if (cachedCodes === null) {
    cachedCodes = new Array(1000);
    for (let i = 0; i < 1000; i++) cachedCodes[i] = String(i).padStart(3, '0');
  }
  return cachedCodes;
}

/**
 * Mid-rank quantile scores (the tie rule of {@link rfmScores}): `1 + floor(b · (worse + tied / 2) / n)`.
 * `lowerIsBetter` counts strictly larger values as worse (recency). Integer columns with a bounded
 * range (days, counts) use prefix counts, O(n + range); others a typed-array sort and binary search.
 * Cutoffs are read off the scores: score s's cutoff is the worst value that earns s or more.
 */
function scoreColumn(
  values: Float64Array,
  bins: number,
  lowerIsBetter: boolean,
): { scores: Uint8Array; cutoffs: (number | null)[]; distinct: number } {
  const n = values.length;
  const scores = new Uint8Array(n);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integer = true;
  for (let j = 0; j < n; j++) {
    const v = values[j] as number;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integer && !Number.isInteger(v)) integer = false;
  }
  // Walk the distinct values from worst to best once, scoring each tie group by its middle position;
  // cut[s] ends as the worst value earning score s or more (scores are monotone in the value).
  const cut = new Float64Array(bins + 2).fill(Number.NaN);
  let distinct = 0;
  if (integer && max - min <= 4 * n + 1024) {
    const range = max - min + 1;
    const cnt = new Float64Array(range);
    for (let j = 0; j < n; j++) {
      const k = (values[j] as number) - min;
      cnt[k] = (cnt[k] as number) + 1;
    }
    const scoreOf = new Uint8Array(range);
    let worse = 0;
    for (let q = 0; q < range; q++) {
      const k = lowerIsBetter ? range - 1 - q : q;
      const tied = cnt[k] as number;
      if (tied === 0) continue;
      distinct++;
      const sc = midRankScore(worse, tied, n, bins);
      scoreOf[k] = sc;
      for (let t = 2; t <= sc; t++) if (Number.isNaN(cut[t] as number)) cut[t] = k + min;
      worse += tied;
    }
    for (let j = 0; j < n; j++) scores[j] = scoreOf[(values[j] as number) - min] as number;
  } else {
    const sorted = values.slice().sort();
    let worse = 0;
    for (let q = 0; q < n; ) {
      // groups in worst-first order: ascending values, or descending for lowerIsBetter
      const start = lowerIsBetter ? n - 1 - q : q;
      const v = sorted[start] as number;
      let tied = 1;
      while (q + tied < n && sorted[lowerIsBetter ? n - 1 - q - tied : q + tied] === v) tied++;
      distinct++;
      const sc = midRankScore(worse, tied, n, bins);
      for (let t = 2; t <= sc; t++) if (Number.isNaN(cut[t] as number)) cut[t] = v;
      worse += tied;
      q += tied;
    }
    // score = 1 + number of cutoffs reached: no per-customer search
    for (let j = 0; j < n; j++) {
      const v = values[j] as number;
      let sc = 1;
      for (let t = 2; t <= bins; t++) {
        const c = cut[t] as number;
        if (Number.isNaN(c) || (lowerIsBetter ? v > c : v < c)) break;
        sc = t;
      }
      scores[j] = sc;
    }
  }
  const cutoffs: (number | null)[] = [];
  for (let t = 2; t <= bins; t++) {
    const c = cut[t] as number;
    cutoffs.push(Number.isNaN(c) ? null : c);
  }
  return { scores, cutoffs, distinct };
}

/** `1 + floor(bins · (worse + tied / 2) / n)`, at most `bins`. */
function midRankScore(worse: number, tied: number, n: number, bins: number): number {
  return Math.min(bins, 1 + Math.floor((bins * (worse + tied / 2)) / n));
}

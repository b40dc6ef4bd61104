import { checkOptions, ValidationError, type ValidationIssue } from '../_lib/errors';
import { normalQuantile } from '../_lib/stats';
import { requireNumbers } from './_args';

/** Options of {@link kaplanMeier}. */
export interface KaplanMeierOptions {
  /** Group label per subject (cohort, plan, segment): one curve per distinct label, in sorted order. @default none (overall curve only) */
  groups?: ArrayLike<string>;
  /**
   * Confidence band construction from Greenwood's variance: `log-log` (exponential Greenwood,
   * stays inside [0, 1]; lifelines' default) or `plain` (S ± 1.96·SE, clipped to [0, 1]).
   * @default 'log-log'
   */
  ci?: 'log-log' | 'plain';
  /** Two-sided confidence level. @default 0.95 */
  level?: number;
}

/** A Kaplan–Meier survival curve. Arrays are indexed by distinct event time. */
export interface KaplanMeierCurve {
  /** Subjects in the curve. */
  n: number;
  /** Observed events (churns). */
  events: number;
  /** Distinct times with at least one event, ascending. */
  times: number[];
  /** Subjects at risk just before each time. */
  atRisk: number[];
  /** Events at each time. */
  died: number[];
  /** Subjects censored in [time, next time) (subjects censored before the first event time change no estimate and are not listed). */
  censored: number[];
  /** Ŝ(t) just after each time: `∏ (1 − dᵢ/nᵢ)`. */
  survival: number[];
  /** Greenwood standard error `Ŝ·√Σ dᵢ/(nᵢ(nᵢ−dᵢ))`. */
  standardError: number[];
  lower: number[];
  upper: number[];
  /** Median lifetime: the first time with Ŝ(t) ≤ 0.5, or `null` when the curve never gets there. */
  median: number | null;
}

/** Result of {@link kaplanMeier}: the overall curve, plus one per group when `groups` is given. */
export interface KaplanMeierResult extends KaplanMeierCurve {
  groups: Map<string, KaplanMeierCurve>;
}

const FN = 'kaplanMeier';

/**
 * Kaplan–Meier product-limit estimate of the survival (retention) curve, with Greenwood's variance
 * and a pointwise 95% band, and the median lifetime. Censored subjects at a tied event time count
 * as at risk at that time (the usual convention).
 *
 * Missing-data policy: every duration must be a finite number ≥ 0 and every event flag 0/1/boolean;
 * otherwise a `ValidationError` lists the rows. With no subjects the curve is empty and `median` null.
 *
 * @param durations time from start (e.g. signup) to churn or to the end of observation.
 * @param events 1/true = churn observed, 0/false = still a customer (censored).
 * @param options groups and band construction.
 * @returns the overall curve and per-group curves.
 * @throws ValidationError on invalid input.
 * @example
 * ```ts
 * // 6-MP arm of Freireich et al. (1963), weeks in remission; 0 = censored.
 * const km = kaplanMeier([6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35],
 *                        [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
 * km.survival[0]; // => 18/21 = 0.857
 * km.median;      // => 23
 * ```
 */
export function kaplanMeier(
  durations: ArrayLike<number>,
  events: ArrayLike<number | boolean>,
  options: KaplanMeierOptions = {},
): KaplanMeierResult {
  checkOptions('kaplanMeier', options, ['groups', 'ci', 'level']);
  requireNumbers('kaplanMeier', 'durations', durations);
  requireNumbers('kaplanMeier', 'events', events, true);
  const n = durations.length;
  const issues: ValidationIssue[] = [];
  if (events.length !== n) {
    issues.push({
      path: ['events'],
      code: 'invalid_length',
      message: `${events.length} event flags for ${n} durations`,
    });
  }
  if (options.groups !== undefined && options.groups.length !== n) {
    issues.push({
      path: ['groups'],
      code: 'invalid_length',
      message: `${options.groups.length} groups for ${n} durations`,
    });
  }
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1))
    issues.push({ path: ['level'], code: 'invalid_value', message: 'option "level" must be in (0, 1)' });
  if (issues.length > 0) throw new ValidationError(FN, issues);
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = durations[i] as number;
    if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) {
      issues.push({
        index: i,
        path: ['durations'],
        code: 'invalid_value',
        message: 'duration must be a finite number >= 0',
      });
    }
    const e = events[i];
    if (e === 1 || e === true) flags[i] = 1;
    else if (e !== 0 && e !== false) {
      issues.push({
        index: i,
        path: ['events'],
        code: 'invalid_value',
        message: 'event flag must be 0, 1 or a boolean',
      });
    }
    if (issues.length >= 50) break;
  }
  if (issues.length > 0) throw new ValidationError(FN, issues);
  const z = normalQuantile(0.5 + level / 2);
  const ci = options.ci ?? 'log-log';
  const overall = curve(null, durations, flags, z, ci);
  const groups = new Map<string, KaplanMeierCurve>();
  if (options.groups !== undefined) {
    const byGroup = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const g = String(options.groups[i]);
      const list = byGroup.get(g);
      if (list === undefined) byGroup.set(g, [i]);
      else list.push(i);
    }
    for (const g of Array.from(byGroup.keys()).sort()) {
      groups.set(g, curve(byGroup.get(g) as number[], durations, flags, z, ci));
    }
  }
  return { ...overall, groups };
}

/** Distinct durations ascending, with the deaths and censorings at each (`length` entries used). */
interface Tally {
  times: Float64Array;
  died: Int32Array;
  censored: Int32Array;
  length: number;
}

/** Subject `k` of the subset `idx` (null: every subject). */
const subject = (idx: readonly number[] | null, k: number): number => (idx === null ? k : (idx[k] as number));

/**
 * Whole-number durations up to a few times the subject count (days, weeks, months: the usual case)
 * are counted per value in one pass; null when some duration is not such a number.
 */
function countWhole(
  idx: readonly number[] | null,
  durations: ArrayLike<number>,
  flags: Uint8Array,
): Tally | null {
  const n = idx === null ? flags.length : idx.length;
  const limit = 4 * n + 1024;
  let max = 0;
  for (let k = 0; k < n; k++) {
    const t = durations[subject(idx, k)] as number;
    if (!(Number.isInteger(t) && t <= limit)) return null;
    if (t > max) max = t;
  }
  const died = new Int32Array(max + 1);
  const censored = new Int32Array(max + 1);
  for (let k = 0; k < n; k++) {
    const i = subject(idx, k);
    const t = durations[i] as number;
    if (flags[i] === 1) died[t] = (died[t] as number) + 1;
    else censored[t] = (censored[t] as number) + 1;
  }
  const out: Tally = { times: new Float64Array(max + 1), died, censored, length: 0 };
  for (let t = 0; t <= max; t++) {
    if (died[t] === 0 && censored[t] === 0) continue;
    const j = out.length++;
    out.times[j] = t;
    died[j] = died[t] as number;
    censored[j] = censored[t] as number;
  }
  return out;
}

/** Any finite durations: event and censoring times sorted apart (numeric typed sort), then merged. */
function sortTimes(idx: readonly number[] | null, durations: ArrayLike<number>, flags: Uint8Array): Tally {
  const n = idx === null ? flags.length : idx.length;
  let ne = 0;
  for (let k = 0; k < n; k++) ne += flags[subject(idx, k)] as number;
  const dt = new Float64Array(ne);
  const ct = new Float64Array(n - ne);
  let a = 0;
  let b = 0;
  for (let k = 0; k < n; k++) {
    const i = subject(idx, k);
    const t = (durations[i] as number) + 0; // -0 is 0
    if (flags[i] === 1) dt[a++] = t;
    else ct[b++] = t;
  }
  dt.sort();
  ct.sort();
  const out: Tally = {
    times: new Float64Array(n),
    died: new Int32Array(n),
    censored: new Int32Array(n),
    length: 0,
  };
  a = 0;
  b = 0;
  while (a < ne || b < n - ne) {
    const te = a < ne ? (dt[a] as number) : Number.POSITIVE_INFINITY;
    const tc = b < n - ne ? (ct[b] as number) : Number.POSITIVE_INFINITY;
    const t = te <= tc ? te : tc;
    const j = out.length++;
    out.times[j] = t;
    let d = 0;
    let c = 0;
    while (a < ne && dt[a] === t) {
      a++;
      d++;
    }
    while (b < n - ne && ct[b] === t) {
      b++;
      c++;
    }
    out.died[j] = d;
    out.censored[j] = c;
  }
  return out;
}

/** One product-limit curve over the subjects `idx` (null: all), walking their distinct durations. */
function curve(
  idx: readonly number[] | null,
  durations: ArrayLike<number>,
  flags: Uint8Array,
  z: number,
  ci: 'log-log' | 'plain',
): KaplanMeierCurve {
  const tally = countWhole(idx, durations, flags) ?? sortTimes(idx, durations, flags);
  const out: KaplanMeierCurve = {
    n: idx === null ? flags.length : idx.length,
    events: 0,
    times: [],
    atRisk: [],
    died: [],
    censored: [],
    survival: [],
    standardError: [],
    lower: [],
    upper: [],
    median: null,
  };
  let atRisk = out.n;
  let s = 1;
  let greenwood = 0;
  for (let j = 0; j < tally.length; j++) {
    const t = tally.times[j] as number;
    const d = tally.died[j] as number;
    const c = tally.censored[j] as number;
    if (d > 0) {
      s *= 1 - d / atRisk;
      greenwood += atRisk > d ? d / (atRisk * (atRisk - d)) : 0;
      const se = s * Math.sqrt(greenwood);
      let lo: number;
      let hi: number;
      if (ci === 'plain' || s <= 0 || s >= 1) {
        lo = Math.max(0, s - z * se);
        hi = Math.min(1, s + z * se);
      } else {
        // Exponential Greenwood: CI for log(−log S), transformed back.
        const v = Math.sqrt(greenwood) / Math.abs(Math.log(s));
        lo = s ** Math.exp(z * v);
        hi = s ** Math.exp(-z * v);
      }
      out.times.push(t);
      out.atRisk.push(atRisk);
      out.died.push(d);
      out.censored.push(c);
      out.survival.push(s);
      out.standardError.push(se);
      out.lower.push(lo);
      out.upper.push(hi);
      out.events += d;
      if (out.median === null && s <= 0.5 + 1e-12) out.median = t;
    } else if (out.censored.length > 0) {
      out.censored[out.censored.length - 1] = (out.censored[out.censored.length - 1] as number) + c;
    }
    atRisk -= d + c;
  }
  return out;
}

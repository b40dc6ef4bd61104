import { checkOptions, optionError } from '../_lib/errors';
import { MS_PER_DAY, requireEpochMs } from '../_lib/time';
import { type EventLike, eventTimes } from '../actions/_eventRows';
import { kaplanMeier } from '../churn/kaplanMeier';
import type { AsOfOptions, VitalsWarning } from '../types';
import { type MilestoneEvent, milestoneTimes } from './_progress';
import { type Milestone, type MilestoneInput, parseMilestones } from './parseMilestones';

const FN = 'onboardingProgress';
const KEYS = ['milestones', 'asOf', 'valueMilestone', 'stallDays', 'windowDays', 'startTypes', 'cohort'];

/** Options of {@link onboardingProgress}. */
export interface OnboardingOptions extends AsOfOptions {
  /** Milestones in funnel order (see `parseMilestones`). Required. */
  milestones: readonly MilestoneInput[];
  /** The milestone that means "first value" (time-to-value ends there). @default the last milestone */
  valueMilestone?: string;
  /** A customer still onboarding with no new milestone for this many days is stalled. @default 14 */
  stallDays?: number;
  /** Days after the start during which a customer counts as onboarding (stalls are judged inside it). @default 90 */
  windowDays?: number;
  /** Event types whose first occurrence starts onboarding. @default ['signup', 'trial_started', 'subscription_started'] */
  startTypes?: readonly string[];
  /** Cohorts by start month or quarter (UTC). @default 'month' */
  cohort?: 'month' | 'quarter';
}

/** One customer's onboarding. */
export interface CustomerOnboarding {
  customerId: string;
  startedAt: number;
  cohort: string;
  /** Per milestone (funnel order): when it was reached and after how many days, or null. */
  milestones: { id: string; reachedAt: number | null; days: number | null }[];
  done: number;
  /** Days from start to the value milestone, or null when not reached yet. */
  timeToValueDays: number | null;
  /** Still inside the onboarding window, not finished, and no progress for `stallDays`. */
  stalled: boolean;
  /** Why stalled, in words: "no new milestone in 21 days; next: Three active users". */
  reason: string | null;
  /** The first milestone not reached, or null when all are. */
  next: string | null;
}

/** Funnel and time-to-value curve of one cohort. */
export interface OnboardingCohort {
  cohort: string;
  n: number;
  /** Per milestone: customers who reached it by asOf and their share. */
  funnel: { id: string; label: string; reached: number; share: number }[];
  /**
   * Kaplan–Meier time-to-value: share having reached value by each day (1 − Ŝ), with a 95% band;
   * customers who have not reached it are censored at their time observed, not counted as failures.
   */
  timeToValue: {
    days: number[];
    reachedShare: number[];
    lower: number[];
    upper: number[];
    medianDays: number | null;
  };
}

/** Warning codes of `onboardingProgress`. */
export type OnboardingWarningCode = 'no_start' | 'no_customers';

/** Result of `onboardingProgress`. */
export interface OnboardingResult {
  customers: CustomerOnboarding[];
  /** One per cohort (sorted), then the overall `(all)` cohort last. */
  cohorts: OnboardingCohort[];
  stalled: number;
  valueMilestone: string;
  dataUsed: string[];
  warnings: VitalsWarning<OnboardingWarningCode>[];
}

function cohortKey(t: number, kind: 'month' | 'quarter'): string {
  const d = new Date(t);
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  return kind === 'quarter'
    ? `${y}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`
    : `${y}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Onboarding progress and time-to-value. Each customer's onboarding starts at its first event of
 * `startTypes` (signup, trial or subscription start); each milestone is reached at the event that
 * makes its count (or distinct count) reach `count`. Per customer: milestones with dates, done
 * count, time to first value (days to `valueMilestone`), and **stalled** customers — inside the
 * first `windowDays`, not finished, no new milestone for `stallDays` — with a reason naming the
 * next milestone. Per start cohort (and overall): the funnel (share reaching each milestone by
 * asOf) and the time-to-value curve by **Kaplan–Meier** (`kaplanMeier` of the churn module),
 * customers who have not reached value yet being censored at asOf, not counted as failures (Kaplan
 * & Meier 1958), so young cohorts are not penalised for being young.
 *
 * Missing-data policy: customers with no start event are left out (`no_start` warning with the
 * count); events before the start or after asOf (asOf rule: events at asOf count) are ignored.
 * With no customer the result is empty with a `no_customers` warning.
 *
 * @param events raw or parsed events.
 * @param options `milestones` and `asOf` required.
 * @returns customers, cohorts with funnels and curves, stalled count, fields read and warnings.
 * @throws ValidationError for bad options, milestones or events (every problem located).
 * @example
 * ```ts
 * const r = onboardingProgress(
 *   [
 *     { customerId: 'a', type: 'signup', timestamp: '2025-01-01' },
 *     { customerId: 'a', type: 'login', timestamp: '2025-01-03' },
 *   ],
 *   { milestones: [{ id: 'first_login', when: 'type == login' }], asOf: '2025-01-31' },
 * );
 * r.customers[0].timeToValueDays; // => 2
 * ```
 */
export function onboardingProgress(
  events: readonly EventLike[],
  options: OnboardingOptions,
): OnboardingResult {
  checkOptions(FN, options, KEYS);
  if (options === undefined) throw optionError(FN, 'milestones', 'is required', 'required');
  const milestones = parseMilestones(options.milestones, FN, ['milestones']);
  const asOf = requireEpochMs(options.asOf, FN, 'asOf');
  const valueId = options.valueMilestone ?? (milestones[milestones.length - 1] as Milestone).id;
  const vIdx = milestones.findIndex((m) => m.id === valueId);
  if (vIdx < 0)
    throw optionError(
      FN,
      'valueMilestone',
      `is not a milestone id (${milestones.map((m) => m.id).join(', ')})`,
    );
  const stallDays = options.stallDays ?? 14;
  const windowDays = options.windowDays ?? 90;
  for (const [k, v] of [
    ['stallDays', stallDays],
    ['windowDays', windowDays],
  ] as const)
    if (typeof v !== 'number' || !(v > 0 && v <= 3650))
      throw optionError(FN, k, 'must be a number of days in (0, 3650]', 'out_of_range');
  const startTypes = options.startTypes ?? ['signup', 'trial_started', 'subscription_started'];
  if (!Array.isArray(startTypes) || startTypes.length === 0 || startTypes.some((t) => typeof t !== 'string'))
    throw optionError(FN, 'startTypes', 'must be a non-empty array of event types', 'invalid_type');
  const cohortKind = options.cohort ?? 'month';
  if (cohortKind !== 'month' && cohortKind !== 'quarter')
    throw optionError(FN, 'cohort', 'must be "month" or "quarter"');
  const times = eventTimes(FN, events);
  const starts = new Set(startTypes);

  // Group events per customer, in time order (ties: input order).
  const order = Array.from({ length: events.length }, (_, i) => i).sort(
    (a, b) => (times[a] as number) - (times[b] as number) || a - b,
  );
  const per = new Map<string, MilestoneEvent[]>();
  const startAt = new Map<string, number>();
  for (const i of order) {
    const t = times[i] as number;
    if (t > asOf) break;
    const e = events[i] as EventLike;
    let list = per.get(e.customerId);
    if (!list) {
      list = [];
      per.set(e.customerId, list);
    }
    const rec: MilestoneEvent = { type: e.type, timestamp: t };
    if (e.value !== undefined) rec.value = e.value;
    if (e.properties !== undefined) rec.properties = e.properties;
    list.push(rec);
    if (starts.has(e.type) && !startAt.has(e.customerId)) startAt.set(e.customerId, t);
  }
  const warnings: VitalsWarning<OnboardingWarningCode>[] = [];
  const noStart = per.size - startAt.size;
  if (noStart > 0)
    warnings.push({
      code: 'no_start',
      message: `${noStart} customer(s) have no ${startTypes.join('/')} event by asOf and are left out.`,
    });
  const customers: CustomerOnboarding[] = [];
  for (const id of [...startAt.keys()].sort()) {
    const start = startAt.get(id) as number;
    const reached = milestoneTimes(milestones, per.get(id) as MilestoneEvent[], start, asOf);
    let done = 0;
    let last = start;
    let next: string | null = null;
    const ms = milestones.map((m, k) => {
      const t = reached[k] as number;
      if (Number.isNaN(t)) {
        if (next === null) next = m.id;
        return { id: m.id, reachedAt: null, days: null };
      }
      done++;
      if (t > last) last = t;
      return { id: m.id, reachedAt: t, days: (t - start) / MS_PER_DAY };
    });
    const tv = reached[vIdx] as number;
    const inWindow = asOf - start <= windowDays * MS_PER_DAY;
    const idle = (asOf - last) / MS_PER_DAY;
    const stalled = inWindow && done < milestones.length && idle >= stallDays;
    const nextLabel = next === null ? null : (milestones.find((m) => m.id === next) as Milestone).label;
    customers.push({
      customerId: id,
      startedAt: start,
      cohort: cohortKey(start, cohortKind),
      milestones: ms,
      done,
      timeToValueDays: Number.isNaN(tv) ? null : (tv - start) / MS_PER_DAY,
      stalled,
      reason: stalled ? `no new milestone in ${Math.floor(idle)} days; next: ${nextLabel}` : null,
      next,
    });
  }
  if (customers.length === 0)
    warnings.push({ code: 'no_customers', message: 'No customer started onboarding by asOf.' });
  const cohortOf = (name: string, list: CustomerOnboarding[]): OnboardingCohort => {
    const n = list.length;
    const funnel = milestones.map((m, k) => {
      let r = 0;
      for (const c of list) if ((c.milestones[k] as { reachedAt: number | null }).reachedAt !== null) r++;
      return { id: m.id, label: m.label, reached: r, share: n === 0 ? 0 : r / n };
    });
    const dur = list.map((c) => c.timeToValueDays ?? (asOf - c.startedAt) / MS_PER_DAY);
    const ev = list.map((c) => (c.timeToValueDays === null ? 0 : 1));
    const km = kaplanMeier(dur, ev);
    const reachedShare = km.survival.map((s) => 1 - s);
    return {
      cohort: name,
      n,
      funnel,
      timeToValue: {
        days: km.times,
        reachedShare,
        lower: km.upper.map((u) => 1 - u),
        upper: km.lower.map((l) => 1 - l),
        medianDays: km.median,
      },
    };
  };
  const keys = [...new Set(customers.map((c) => c.cohort))].sort();
  const cohorts = keys.map((k) =>
    cohortOf(
      k,
      customers.filter((c) => c.cohort === k),
    ),
  );
  cohorts.push(cohortOf('(all)', customers));
  const fields = new Set(['customerId', 'type', 'timestamp']);
  for (const m of milestones) for (const f of m.fields) fields.add(f);
  return {
    customers,
    cohorts,
    stalled: customers.filter((c) => c.stalled).length,
    valueMilestone: valueId,
    dataUsed: [...fields].sort(),
    warnings,
  };
}

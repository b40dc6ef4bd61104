import { checkOptions, optionError, ValidationError } from '../_lib/errors';
import { MS_PER_DAY, requireEpochMs } from '../_lib/time';
import { type EventLike, eventTimes } from '../actions/_eventRows';
import { kaplanMeier } from '../churn/kaplanMeier';
import { isCheckedStore, StorePropReader, typeMask } from '../segment/_storeInput';
import type { EventStore } from '../store/EventStore';
import type { AsOfOptions, VitalsWarning } from '../types';
import { type MilestoneEvent, MilestoneWalker, milestoneTimes } from './_progress';
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
 * Given an `EventStore`, each customer's rows are read from its columns into one reused record (the
 * event's type, time, value and the properties the milestones read: dictionary columns, other
 * properties from `keepProperties`), so no event object is built; the result is that of the store's
 * events. A milestone on the whole `properties` object needs event objects (located error).
 *
 * @param events raw or parsed events, or an `EventStore`.
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
  events: readonly EventLike[] | EventStore,
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
  const starts = new Set(startTypes);
  const { entries, withEvents } = isCheckedStore(FN, events)
    ? storeMilestones(events, milestones, starts, asOf)
    : eventMilestones(events, milestones, starts, asOf);
  return progressResult(entries, withEvents, milestones, {
    asOf,
    vIdx,
    valueId,
    windowDays,
    stallDays,
    cohortKind,
    startTypes,
  });
}

/** One started customer: start time and when each milestone was reached (NaN: not). */
interface Started {
  id: string;
  start: number;
  reached: Float64Array;
}

/** The event path: customers with a start (ascending id) and the number with any event by asOf. */
function eventMilestones(
  events: readonly EventLike[],
  milestones: readonly Milestone[],
  starts: ReadonlySet<string>,
  asOf: number,
): { entries: Started[]; withEvents: number } {
  const times = eventTimes(FN, events);
  // Group events per customer, in time order (ties: input order; the result does not depend on it).
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
  const entries: Started[] = [];
  for (const id of [...startAt.keys()].sort()) {
    const start = startAt.get(id) as number;
    entries.push({
      id,
      start,
      reached: milestoneTimes(milestones, per.get(id) as MilestoneEvent[], start, asOf),
    });
  }
  return { entries, withEvents: per.size };
}

/**
 * The store path: each customer's rows (time order) into one reused record holding the fields the
 * milestones read, walked from the first start row to asOf.
 */
function storeMilestones(
  store: EventStore,
  milestones: readonly Milestone[],
  starts: ReadonlySet<string>,
  asOf: number,
): { entries: Started[]; withEvents: number } {
  // The first-level property keys the milestones read (`properties.feature` -> feature).
  const keys = new Set<string>();
  for (const m of milestones)
    for (const f of m.fields) {
      const path = f.split('.');
      if (path[0] !== 'properties') continue;
      if (path.length === 1)
        throw new ValidationError(FN, [
          {
            path: ['milestones'],
            code: 'invalid_value',
            message: `milestone "${m.id}" reads the whole properties object, which an EventStore does not hold: pass the events`,
          },
        ]);
      keys.add(path[1] as string);
    }
  const names = [...keys];
  const readers = names.map((k) => new StorePropReader(FN, store, k));
  const props = Object.create(null) as Record<string, unknown>;
  for (const k of names) props[k] = undefined;
  const rec: MilestoneEvent = { type: '', timestamp: 0, value: undefined, properties: props };
  const { time, typeCode, value, hasValue, offsets, types } = store;
  const isStart = typeMask(store, starts);
  const walker = new MilestoneWalker(milestones);
  const entries: Started[] = [];
  let withEvents = 0;
  for (let c = 0; c < store.customerIds.length; c++) {
    const lo = offsets[c] as number;
    const end = offsets[c + 1] as number;
    if (lo === end || !((time[lo] as number) <= asOf)) continue;
    withEvents++;
    let first = -1;
    for (let i = lo; i < end && (time[i] as number) <= asOf; i++)
      if (isStart[typeCode[i] as number] === 1) {
        first = i;
        break;
      }
    if (first === -1) continue;
    const start = time[first] as number;
    walker.reset();
    // Rows at the start instant before the start row count too (the event path walks from the time).
    let i = first;
    while (i > lo && time[i - 1] === start) i--;
    for (; i < end && walker.left > 0; i++) {
      const t = time[i] as number;
      if (t > asOf) break;
      const k = typeCode[i] as number;
      rec.type = types[k] as string;
      rec.timestamp = t;
      rec.value = hasValue[i] === 1 ? (value[i] as number) : undefined;
      for (let r = 0; r < readers.length; r++)
        props[names[r] as string] = (readers[r] as StorePropReader).at(i);
      walker.add(rec);
    }
    entries.push({ id: store.customerIds[c] as string, start, reached: Float64Array.from(walker.out) });
  }
  return { entries, withEvents };
}

interface ProgressSettings {
  asOf: number;
  vIdx: number;
  valueId: string;
  windowDays: number;
  stallDays: number;
  cohortKind: 'month' | 'quarter';
  startTypes: readonly string[];
}

/** Customers, cohorts, funnels and warnings from the started customers (both paths). */
function progressResult(
  entries: readonly Started[],
  withEvents: number,
  milestones: readonly Milestone[],
  o: ProgressSettings,
): OnboardingResult {
  const { asOf, valueId, startTypes } = o;
  const warnings: VitalsWarning<OnboardingWarningCode>[] = [];
  const noStart = withEvents - entries.length;
  if (noStart > 0)
    warnings.push({
      code: 'no_start',
      message: `${noStart} customer(s) have no ${startTypes.join('/')} event by asOf and are left out.`,
    });
  const customers: CustomerOnboarding[] = [];
  for (const entry of entries) customers.push(customerOnboarding(entry, milestones, o));
  if (customers.length === 0)
    warnings.push({ code: 'no_customers', message: 'No customer started onboarding by asOf.' });
  const keys = [...new Set(customers.map((c) => c.cohort))].sort();
  const cohorts = keys.map((k) =>
    cohortOf(
      k,
      customers.filter((c) => c.cohort === k),
      milestones,
      asOf,
    ),
  );
  cohorts.push(cohortOf('(all)', customers, milestones, asOf));
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

/** One started customer: milestones reached (days after start), time to value, stalled or not. */
function customerOnboarding(
  { id, start, reached }: Started,
  milestones: readonly Milestone[],
  o: ProgressSettings,
): CustomerOnboarding {
  const { asOf, vIdx, windowDays, stallDays, cohortKind } = o;
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
  return {
    customerId: id,
    startedAt: start,
    cohort: cohortKey(start, cohortKind),
    milestones: ms,
    done,
    timeToValueDays: Number.isNaN(tv) ? null : (tv - start) / MS_PER_DAY,
    stalled,
    reason: stalled ? `no new milestone in ${Math.floor(idle)} days; next: ${nextLabel}` : null,
    next,
  };
}

/** A cohort's funnel and its time-to-value curve (Kaplan–Meier; not yet reached = censored at asOf). */
function cohortOf(
  name: string,
  list: CustomerOnboarding[],
  milestones: readonly Milestone[],
  asOf: number,
): OnboardingCohort {
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
}

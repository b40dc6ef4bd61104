import { checkOptions, optionError } from '../_lib/errors';
import { type DateInput, isoDay, MS_PER_DAY, requireEpochMs } from '../_lib/time';
import { groupByCustomer } from '../events/groupByCustomer';
import type { CustomerEvent, CustomerProfile, CustomerTimeline, CustomerTimelines } from '../events/types';
import { ACTIVITY_TYPES } from '../events/vocabulary';
import type { EventStore } from '../store/EventStore';
import { requireEventsInput, timelineEvents } from './_input';
import { isCheckedStore, StorePropReader } from './_storeInput';
import { fmtNum } from './_util';

/** Lifecycle stages, from first contact to churn. */
export type LifecycleStageName = 'trial' | 'onboarding' | 'adopting' | 'mature' | 'at_risk' | 'churned';

/** Every stage, in lifecycle order. */
export const LIFECYCLE_STAGES: readonly LifecycleStageName[] = [
  'trial',
  'onboarding',
  'adopting',
  'mature',
  'at_risk',
  'churned',
];

/** Thresholds of {@link lifecycleStage}. */
export interface LifecycleThresholds {
  /** Tenure (days) below which a customer is onboarding. @default 30 */
  onboardingDays: number;
  /** Tenure (days) from which a customer can be mature. @default 90 */
  matureDays: number;
  /** Active days (any login/session/feature_used) in the last 30 days needed to be mature. @default 4 */
  matureActiveDays: number;
  /** Health score below which a customer is at risk. @default 40 */
  atRiskHealth: number;
  /** Health score needed to be mature (when health is given). @default 60 */
  matureHealth: number;
  /** At risk when activity in the last 30 days < this × the monthly average of the 60 days before. @default 0.5 */
  usageDropRatio: number;
  /** Minimum monthly activity (events / 30 days) of that baseline for a drop to count. @default 4 */
  minBaselineActivity: number;
  /** Customers with no subscription events are churned after this many days without any event. @default 90 */
  churnInactiveDays: number;
  /** Plans whose name contains this (case-insensitive) are trials. @default 'trial' */
  trialPlanPattern: string;
}

/** Options of {@link lifecycleStage}. */
export interface LifecycleStageOptions {
  asOf: DateInput;
  /** Health score (0–100) per customer, e.g. from `scoreHealth`. @default none */
  health?: ReadonlyMap<string, number>;
  /** Profiles; `signupDate` starts the tenure and `plan` can mark a trial. @default none */
  profiles?: ReadonlyMap<string, CustomerProfile> | readonly CustomerProfile[];
  /** @default DEFAULT_LIFECYCLE_THRESHOLDS */
  thresholds?: Partial<LifecycleThresholds>;
}

/** One customer's stage. */
export interface LifecycleAssignment {
  customerId: string;
  stage: LifecycleStageName;
  /** Days from signup (profile, else first `subscription_started`, else first event) to asOf. */
  tenureDays: number;
  /** Distinct UTC days with activity in the last 30 days. */
  activeDays30: number;
  /** Activity events in the last 30 days, and per 30 days over the 60 days before. */
  activity30: number;
  activityBaseline: number;
  health: number | null;
  reason: string;
}

/** Result of {@link lifecycleStage}. */
export interface LifecycleResult {
  customers: LifecycleAssignment[];
  /** Customers per stage (every stage present, possibly 0). Null-prototype. */
  counts: Record<LifecycleStageName, number>;
  thresholds: LifecycleThresholds;
}

/** Default thresholds of {@link lifecycleStage}. */
export const DEFAULT_LIFECYCLE_THRESHOLDS: Readonly<LifecycleThresholds> = Object.freeze({
  onboardingDays: 30,
  matureDays: 90,
  matureActiveDays: 4,
  atRiskHealth: 40,
  matureHealth: 60,
  usageDropRatio: 0.5,
  minBaselineActivity: 4,
  churnInactiveDays: 90,
  trialPlanPattern: 'trial',
});

const FN = 'lifecycleStage';

/**
 * Lifecycle stage of every customer as of `asOf`, from tenure, usage, billing and (optionally) health.
 * Rules are checked in this order; the first that holds decides:
 *
 * | Stage      | Rule (defaults)                                                                                  |
 * |------------|--------------------------------------------------------------------------------------------------|
 * | churned    | last subscription event is `subscription_cancelled`; or, with no subscription events, no event at all for 90 days |
 * | trial      | current plan contains "trial"; or subscribed at MRR 0 and never paid (`invoice_paid`/`purchase`) |
 * | at_risk    | health < 40; or activity in the last 30 days < 50% of the monthly average of the 60 days before (baseline ≥ 4 events / 30 days); or tenure ≥ 30 days, activity before, and none in the last 30 days |
 * | onboarding | tenure < 30 days                                                                                 |
 * | adopting   | tenure < 90 days; or active on < 4 of the last 30 days (customers with activity data); or health < 60 |
 * | mature     | everything else                                                                                  |
 *
 * Activity = `login`, `session`, `feature_used` events. Tenure starts at the profile's `signupDate`,
 * else the first `subscription_started`, else the first event. Events after `asOf` are ignored.
 *
 * Missing data: without health, the health rules are skipped; customers without activity events are
 * judged on tenure and billing only; customers whose first event is after `asOf` are left out.
 *
 * Given an `EventStore`, each customer's rows are read from its typed columns and dictionary codes
 * (no event object), with the same result as the store's events.
 *
 * @param events events, timelines or an `EventStore`.
 * @param options `asOf`, optional health scores, profiles and thresholds.
 * @returns a stage and reason per customer (ascending id), and the count per stage.
 * @throws ValidationError for a non-finite or negative threshold or an invalid `asOf`.
 * @example
 * ```ts
 * const { customers, counts } = lifecycleStage(events, { asOf: '2025-06-30', health });
 * customers[0]; // => { customerId: 'acme', stage: 'at_risk', tenureDays: 400, ..., reason: 'at risk: health 32 < 40' }
 * counts.mature; // => 118
 * ```
 */
export function lifecycleStage(
  events: readonly CustomerEvent[] | CustomerTimelines | EventStore,
  options: LifecycleStageOptions,
): LifecycleResult {
  checkOptions(FN, options, ['asOf', 'health', 'profiles', 'thresholds']);
  const asOf = requireEpochMs(options?.asOf, FN, 'asOf');
  const store = isCheckedStore(FN, events) ? events : null;
  if (store === null) requireEventsInput(FN, events);
  const th: LifecycleThresholds = { ...DEFAULT_LIFECYCLE_THRESHOLDS, ...(options.thresholds ?? {}) };
  for (const key of Object.keys(DEFAULT_LIFECYCLE_THRESHOLDS) as (keyof LifecycleThresholds)[]) {
    const v = th[key];
    if (key === 'trialPlanPattern') {
      if (typeof v !== 'string') throw optionError(FN, `thresholds.${key}`, 'must be a string');
    } else if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw optionError(FN, `thresholds.${key}`, 'must be a finite number >= 0');
    }
  }
  const profiles = new Map<string, CustomerProfile>();
  if (options.profiles instanceof Map) for (const [id, p] of options.profiles) profiles.set(id, p);
  else if (options.profiles)
    for (const p of options.profiles as readonly CustomerProfile[]) profiles.set(p.customerId, p);

  const counts = Object.create(null) as Record<LifecycleStageName, number>;
  for (const s of LIFECYCLE_STAGES) counts[s] = 0;
  const customers: LifecycleAssignment[] = [];
  const acc = new LifeAcc();
  if (store !== null) {
    storeStages(store, asOf, th, profiles, options.health, acc, (a) => {
      counts[a.stage]++;
      customers.push(a);
    });
    return { customers, counts, thresholds: th };
  }
  const timelines = Array.isArray(events)
    ? groupByCustomer(events as readonly CustomerEvent[])
    : (events as CustomerTimelines);
  for (const [id, tl] of timelines) {
    timelineEvents(FN, id, tl);
    const a = assess(tl, asOf, th, profiles.get(id), options.health?.get(id), acc);
    if (a === null) continue;
    counts[a.stage]++;
    customers.push(a);
  }
  return { customers, counts, thresholds: th };
}

/**
 * The store path of {@link lifecycleStage}: each customer's run of rows (already in `compareEvents`
 * order, as `groupByCustomer` sorts) read from the typed columns into the same {@link LifeAcc} the
 * event loop fills; plans through the `plan` dictionary column (a code per row, a check per entry).
 */
function storeStages(
  store: EventStore,
  asOf: number,
  th: LifecycleThresholds,
  profiles: ReadonlyMap<string, CustomerProfile>,
  health: ReadonlyMap<string, number> | undefined,
  acc: LifeAcc,
  emit: (a: LifecycleAssignment) => void,
): void {
  const { time, typeCode, value, hasValue, offsets, types } = store;
  const kinds = Uint8Array.from(types, typeKind);
  const plans = new StorePropReader(FN, store, 'plan');
  const d30 = asOf - 30 * MS_PER_DAY;
  const d90 = asOf - 90 * MS_PER_DAY;
  for (let c = 0; c < store.customerIds.length; c++) {
    acc.reset();
    const end = offsets[c + 1] as number;
    for (let i = offsets[c] as number; i < end; i++) {
      const t = time[i] as number;
      if (t > asOf) break;
      const code = typeCode[i] as number;
      const kind = kinds[code] as number;
      let plan: string | undefined;
      if (kind === A_SUB) {
        const p = plans.at(i);
        if (typeof p === 'string') plan = p;
      }
      addEvent(
        acc,
        kind,
        types[code] as string,
        t,
        hasValue[i] === 1 ? (value[i] as number) : undefined,
        plan,
        d30,
        d90,
      );
    }
    const id = store.customerIds[c] as string;
    const a = decide(id, acc, asOf, th, profiles.get(id), health?.get(id));
    if (a !== null) emit(a);
  }
}

/** One customer's running facts, filled from events or from store rows in the same order. */
class LifeAcc {
  first = Number.NaN;
  lastAny = Number.NaN;
  firstSub = Number.NaN;
  lastSubType: string | null = null;
  lastSubAt = Number.NaN;
  lastSubValue: number | undefined = undefined;
  /** Plan of the latest subscription event holding one (string), or undefined. */
  plan: string | undefined = undefined;
  paid = false;
  activityEver = 0;
  activity30 = 0;
  activityPrev = 0;
  activeDays = 0;
  lastActiveDay = -1;
  reset(): void {
    this.first = Number.NaN;
    this.lastAny = Number.NaN;
    this.firstSub = Number.NaN;
    this.lastSubType = null;
    this.lastSubAt = Number.NaN;
    this.lastSubValue = undefined;
    this.plan = undefined;
    this.paid = false;
    this.activityEver = 0;
    this.activity30 = 0;
    this.activityPrev = 0;
    this.activeDays = 0;
    this.lastActiveDay = -1;
  }
}

const A_OTHER = 0;
const A_ACTIVITY = 1;
const A_SUB = 2;
const A_PAID = 3;

/** What the event loop does with an event type. */
function typeKind(type: string): number {
  if (ACTIVITY_TYPES.has(type)) return A_ACTIVITY;
  if (type.startsWith('subscription_')) return A_SUB;
  if (type === 'invoice_paid' || type === 'purchase') return A_PAID;
  return A_OTHER;
}

/**
 * Adds one event at `t` (<= asOf, in `compareEvents` order) to `acc`. `plan` is the event's
 * `properties.plan` when it is an own string property, else undefined.
 */
function addEvent(
  acc: LifeAcc,
  kind: number,
  type: string,
  t: number,
  value: number | undefined,
  plan: string | undefined,
  d30: number,
  d90: number,
): void {
  if (Number.isNaN(acc.first)) acc.first = t;
  acc.lastAny = t;
  if (kind === A_ACTIVITY) {
    acc.activityEver++;
    if (t > d30) {
      acc.activity30++;
      const dd = Math.floor(t / MS_PER_DAY);
      if (dd !== acc.lastActiveDay) {
        acc.activeDays++;
        acc.lastActiveDay = dd;
      }
    } else if (t > d90) acc.activityPrev++;
  } else if (kind === A_SUB) {
    if (type === 'subscription_started' && Number.isNaN(acc.firstSub)) acc.firstSub = t;
    acc.lastSubType = type;
    acc.lastSubAt = t;
    if (type !== 'subscription_cancelled' && typeof value === 'number') acc.lastSubValue = value;
    if (plan !== undefined) acc.plan = plan;
  } else if (kind === A_PAID && (value === undefined || value > 0)) {
    acc.paid = true;
  }
}

function assess(
  tl: CustomerTimeline,
  asOf: number,
  th: LifecycleThresholds,
  profile: CustomerProfile | undefined,
  healthRaw: number | undefined,
  acc: LifeAcc,
): LifecycleAssignment | null {
  const evs = tl.events;
  const d30 = asOf - 30 * MS_PER_DAY;
  const d90 = asOf - 90 * MS_PER_DAY;
  acc.reset();
  for (let i = 0; i < evs.length; i++) {
    const e = evs[i] as CustomerEvent;
    const t = e.timestamp;
    if (t > asOf) break;
    const type = e.type;
    const kind = typeKind(type);
    let plan: string | undefined;
    if (kind === A_SUB) {
      const p = e.properties?.plan;
      if (typeof p === 'string' && Object.hasOwn(e.properties as object, 'plan')) plan = p;
    }
    addEvent(acc, kind, type, t, e.value, plan, d30, d90);
  }
  return decide(tl.customerId, acc, asOf, th, profile, healthRaw);
}

/** The stage of one customer from its facts (the table of {@link lifecycleStage}). */
function decide(
  customerId: string,
  acc: LifeAcc,
  asOf: number,
  th: LifecycleThresholds,
  profile: CustomerProfile | undefined,
  healthRaw: number | undefined,
): LifecycleAssignment | null {
  const { first, lastAny, firstSub, lastSubType, lastSubAt, lastSubValue, paid } = acc;
  const { activityEver, activity30, activityPrev, activeDays } = acc;
  const plan = acc.plan ?? profile?.plan;
  if (Number.isNaN(first)) return null;
  const start = profile?.signupDate ?? (Number.isNaN(firstSub) ? first : firstSub);
  const tenureDays = Math.max(0, Math.floor((asOf - start) / MS_PER_DAY));
  const baseline = activityPrev / 2;
  const health = typeof healthRaw === 'number' && Number.isFinite(healthRaw) ? healthRaw : null;
  const base = {
    customerId,
    tenureDays,
    activeDays30: activeDays,
    activity30,
    activityBaseline: baseline,
    health,
  };
  const out = (stage: LifecycleStageName, reason: string): LifecycleAssignment => ({
    ...base,
    stage,
    reason,
  });

  // churned
  if (lastSubType === 'subscription_cancelled')
    return out('churned', `churned: subscription cancelled on ${isoDay(lastSubAt)}`);
  const idleDays = Math.floor((asOf - lastAny) / MS_PER_DAY);
  if (lastSubType === null && idleDays >= th.churnInactiveDays) {
    return out(
      'churned',
      `churned: no activity or purchase for ${idleDays} days (≥ ${th.churnInactiveDays})`,
    );
  }
  // trial
  const pattern = th.trialPlanPattern.toLowerCase();
  if (pattern.length > 0 && plan !== undefined && plan.toLowerCase().includes(pattern)) {
    return out('trial', `trial: plan "${plan}"`);
  }
  if (lastSubType !== null && lastSubValue === 0 && !paid)
    return out('trial', 'trial: subscribed at MRR 0 and never paid');
  // at risk
  if (health !== null && health < th.atRiskHealth) {
    return out('at_risk', `at risk: health ${fmtNum(health)} < ${th.atRiskHealth}`);
  }
  if (baseline >= th.minBaselineActivity && activity30 < th.usageDropRatio * baseline) {
    return out(
      'at_risk',
      `at risk: ${activity30} activity events in the last 30 days vs ${fmtNum(baseline)} per 30 days before ` +
        `(below ${Math.round(th.usageDropRatio * 100)}%)`,
    );
  }
  if (tenureDays >= th.onboardingDays && activityEver > 0 && activity30 === 0) {
    return out('at_risk', 'at risk: no activity in the last 30 days');
  }
  // onboarding, adopting, mature
  if (tenureDays < th.onboardingDays)
    return out('onboarding', `onboarding: ${tenureDays} days since signup (< ${th.onboardingDays})`);
  if (tenureDays < th.matureDays)
    return out('adopting', `adopting: ${tenureDays} days since signup (< ${th.matureDays})`);
  if (activityEver > 0 && activeDays < th.matureActiveDays) {
    return out(
      'adopting',
      `adopting: active on ${activeDays} of the last 30 days (< ${th.matureActiveDays})`,
    );
  }
  if (health !== null && health < th.matureHealth) {
    return out('adopting', `adopting: health ${fmtNum(health)} < ${th.matureHealth}`);
  }
  const facts = [`${tenureDays} days tenure`];
  if (activityEver > 0) facts.push(`active on ${activeDays} of the last 30 days`);
  if (health !== null) facts.push(`health ${fmtNum(health)}`);
  return out('mature', `mature: ${facts.join(', ')}`);
}

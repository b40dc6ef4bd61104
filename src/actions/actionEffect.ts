import { checkOptions, optionError, ValidationError, type ValidationIssue } from '../_lib/errors';
import { createRng } from '../_lib/random';
import { isPlainObject } from '../_lib/safe';
import { MS_PER_DAY, requireEpochMs, toEpochMs } from '../_lib/time';
import { isCheckedStore, StorePropReader, typeMask } from '../segment/_storeInput';
import type { EventStore } from '../store/EventStore';
import type { AsOfOptions, SeedOptions, VitalsWarning } from '../types';
import { type EventLike, eventTimes } from './_eventRows';
import { adjustedPropVar, twoSidedP, Z95 } from './_stats';
import type { ActionEffectResult, ActionEffectWarningCode, CustomerState, EffectStratum } from './types';

const FN = 'actionEffect';

/** One customer's action times, outcome times and subscription status changes (events <= asOf). */
interface Cust {
  actions: number[];
  outcomes: number[];
  subs: { t: number; cancel: boolean }[];
}

function custOf(custs: Map<string, Cust>, id: string): Cust {
  let c = custs.get(id);
  if (!c) {
    c = { actions: [], outcomes: [], subs: [] };
    custs.set(id, c);
  }
  return c;
}

function eventCusts(
  events: readonly EventLike[],
  times: Float64Array,
  asOf: number,
  action: string,
  actionType: string,
  outcome: string,
): Map<string, Cust> {
  const custs = new Map<string, Cust>();
  for (let i = 0; i < events.length; i++) {
    const t = times[i] as number;
    if (t > asOf) continue;
    const e = events[i] as EventLike;
    if (e.type === actionType) {
      if (e.properties?.action === action) custOf(custs, e.customerId).actions.push(t);
    }
    if (e.type === outcome) custOf(custs, e.customerId).outcomes.push(t);
    if (e.type === 'subscription_started' || e.type === 'subscription_cancelled')
      custOf(custs, e.customerId).subs.push({ t, cancel: e.type === 'subscription_cancelled' });
  }
  return custs;
}

/** The store path of the loop above: the same lists from the columns (sorted afterwards, as there). */
function storeCusts(
  store: EventStore,
  asOf: number,
  action: string,
  actionType: string,
  outcome: string,
): Map<string, Cust> {
  const custs = new Map<string, Cust>();
  const { time, typeCode, offsets, types } = store;
  const isAction = typeMask(store, [actionType]);
  const isOutcome = typeMask(store, [outcome]);
  const started = types.indexOf('subscription_started');
  const cancelled = types.indexOf('subscription_cancelled');
  let actions: StorePropReader | null = null;
  for (let c = 0; c < store.customerIds.length; c++) {
    const id = store.customerIds[c] as string;
    const end = offsets[c + 1] as number;
    for (let i = offsets[c] as number; i < end; i++) {
      const t = time[i] as number;
      if (t > asOf) break;
      const k = typeCode[i] as number;
      if (isAction[k] === 1) {
        actions ??= new StorePropReader(FN, store, 'action');
        if (actions.at(i) === action) custOf(custs, id).actions.push(t);
      }
      if (isOutcome[k] === 1) custOf(custs, id).outcomes.push(t);
      if (k === started || k === cancelled) custOf(custs, id).subs.push({ t, cancel: k === cancelled });
    }
  }
  return custs;
}
const KEYS = [
  'action',
  'outcome',
  'horizonDays',
  'asOf',
  'states',
  'bins',
  'maxStateAgeDays',
  'seed',
  'actionType',
];

/** Options of {@link actionEffect}. */
export interface ActionEffectOptions extends AsOfOptions, SeedOptions {
  /** The action to evaluate: `properties.action` of the action events. Required. */
  action: string;
  /** Event type of the action events. @default 'cs_action' */
  actionType?: string;
  /** Event type counted as the outcome within the horizon. @default 'subscription_cancelled' */
  outcome?: string;
  /** Follow-up horizon in days: outcome counted in `(index, index + horizonDays]`. @default 90 */
  horizonDays?: number;
  /**
   * Each customer's state over time (e.g. from `healthHistory` and a churn model's scores):
   * `{ customerId, at, band, churnProbability }`. Required: it is what "comparable" means.
   */
  states: readonly CustomerState[];
  /** Edges of the churn-probability bins, ascending from 0 to 1. @default [0, 0.1, 0.2, 0.3, 0.5, 1] */
  bins?: readonly number[];
  /** A state older than this before the index time is not used. @default 45 */
  maxStateAgeDays?: number;
}

const METHOD =
  'Stratified comparison (exact matching on strata): each treated customer is indexed at its first action, ' +
  'each untreated customer at one of its states with full follow-up and no action within the horizon either side ' +
  '(chosen at random with the seed, one unit per customer); units are grouped by health band × churn-probability ' +
  'bin of the latest state at or before the index; within each stratum the outcome rates are compared and the ' +
  'differences averaged with the numbers of treated as weights (effect on the treated). Standard error from the ' +
  'per-stratum binomial variances (Agresti–Caffo adjusted), 95% normal interval.';
const CAVEAT =
  'Observational estimate: the action was not randomised. It removes differences in band and churn probability ' +
  'at the time, not in anything else that made the team act (what the CSM knew, the account’s mood); ' +
  'treat it as evidence, and test the action with a holdout to be sure.';

function bisect(edges: readonly number[], p: number): number {
  for (let k = edges.length - 2; k >= 0; k--) if (p >= (edges[k] as number)) return k;
  return 0;
}

/**
 * Estimates the effect of a customer-success action on churn within a horizon, against comparable
 * customers who did not get it. Method: stratification on health band × churn-probability bin at
 * the time (the latest state at or before the index, at most `maxStateAgeDays` old); the effect is
 * the weighted mean over strata of (treated rate − untreated rate), weights = treated per stratum
 * (the average effect on the treated, ATT; Rosenbaum & Rubin 1983 on subclassification):
 *
 *   effect = Σₛ nₜ,ₛ (p̂ₜ,ₛ − p̂꜀,ₛ) / Σₛ nₜ,ₛ,   SE² = Σₛ nₜ,ₛ² (Vₜ,ₛ + V꜀,ₛ) / (Σₛ nₜ,ₛ)²,
 *
 * with V = p̃(1−p̃)/n and p̃ = (x+1)/(n+2). Interval: effect ± 1.96·SE. A unit needs full
 * follow-up (`index + horizon ≤ asOf`, the asOf rule: events at asOf count) and, for the default
 * churn outcome, to be a customer at the index (its last subscription event before it is not a
 * cancellation). **Observational**: see `caveat`.
 *
 * Missing-data policy: treated customers without a recent state are left out (`no_state`); those
 * whose first action is less than the horizon before asOf too (`incomplete_follow_up`); treated in
 * strata with no untreated customer are left out of the estimate (`unmatched_treated`). With no
 * stratum holding both, `effect` is null with a `reason`. Fewer than 30 treated or controls:
 * `few_treated` / `few_controls`.
 *
 * Given an `EventStore`, the action, outcome and subscription rows are read from its columns (no
 * event object), with the same result (`properties.action` is one of the store's columns).
 *
 * @param events events with `cs_action` rows (`properties.action`) and outcome rows, or an `EventStore`.
 * @param options `action`, `states` and `asOf` are required.
 * @returns the effect with interval, strata, naive difference, method and caveat.
 * @throws ValidationError for bad options, events or states (every row located).
 * @example
 * ```ts
 * const s = generateActionEvents({ customers: 3000, effect: 0.4 });
 * const r = actionEffect(s.events, { action: 'success_call', states: s.states, asOf: s.end });
 * r.effect; // => −0.112, interval [−0.149, −0.076] (true effect on the treated s.expectedEffect = −0.123); r.naiveEffect => −0.020
 * ```
 */
export function actionEffect(
  events: readonly EventLike[] | EventStore,
  options: ActionEffectOptions,
): ActionEffectResult {
  checkOptions(FN, options, KEYS);
  if (options === undefined) throw optionError(FN, 'action', 'is required', 'required');
  const { action } = options;
  if (typeof action !== 'string' || action.length === 0)
    throw optionError(FN, 'action', 'is required (a non-empty string)', 'required');
  const asOf = requireEpochMs(options.asOf, FN, 'asOf');
  const actionType = options.actionType ?? 'cs_action';
  const outcome = options.outcome ?? 'subscription_cancelled';
  for (const [k, v] of [
    ['actionType', actionType],
    ['outcome', outcome],
  ] as const)
    if (typeof v !== 'string' || v.length === 0) throw optionError(FN, k, 'must be a non-empty string');
  const horizonDays = options.horizonDays ?? 90;
  if (typeof horizonDays !== 'number' || !(horizonDays > 0 && horizonDays <= 3650))
    throw optionError(FN, 'horizonDays', 'must be a number in (0, 3650]', 'out_of_range');
  const maxAge = options.maxStateAgeDays ?? 45;
  if (typeof maxAge !== 'number' || !(maxAge >= 0))
    throw optionError(FN, 'maxStateAgeDays', 'must be a number >= 0', 'out_of_range');
  const edges = options.bins ?? [0, 0.1, 0.2, 0.3, 0.5, 1];
  if (
    !Array.isArray(edges) ||
    edges.length < 2 ||
    edges[0] !== 0 ||
    edges[edges.length - 1] !== 1 ||
    edges.some((e, i) => typeof e !== 'number' || (i > 0 && !(e > (edges[i - 1] as number))))
  )
    throw optionError(
      FN,
      'bins',
      'must be ascending numbers from 0 to 1, e.g. [0, 0.2, 0.5, 1]',
      'not_ascending',
    );
  const seed = options.seed ?? 1;
  const H = horizonDays * MS_PER_DAY;
  const store = isCheckedStore(FN, events) ? events : null;
  const times = store === null ? eventTimes(FN, events) : null;

  // States, validated and grouped per customer (sorted by time).
  if (!Array.isArray(options.states))
    throw optionError(
      FN,
      'states',
      'is required: an array of { customerId, at, band, churnProbability }',
      'required',
    );
  const issues: ValidationIssue[] = [];
  const stateBy = new Map<string, { at: number; band: string; p: number }[]>();
  options.states.forEach((s: unknown, i) => {
    if (issues.length >= 100) return;
    if (!isPlainObject(s)) {
      issues.push({
        index: i,
        path: ['states', i],
        code: 'not_plain_object',
        message: 'a state must be a record',
      });
      return;
    }
    const at = toEpochMs(s.at);
    const bad = (path: string, code: ValidationIssue['code'], message: string) =>
      issues.push({ index: i, path: ['states', i, path], code, message });
    if (typeof s.customerId !== 'string' || s.customerId.length === 0)
      bad('customerId', 'required', 'customerId must be a non-empty string');
    if (at === null) bad('at', 'invalid_date', 'at is not a valid date');
    if (typeof s.band !== 'string' || s.band.length === 0)
      bad('band', 'required', 'band must be a non-empty string');
    if (typeof s.churnProbability !== 'number' || !(s.churnProbability >= 0 && s.churnProbability <= 1))
      bad('churnProbability', 'out_of_range', 'churnProbability must be a number in [0, 1]');
    if (issues.length > 0) return;
    let list = stateBy.get(s.customerId as string);
    if (!list) {
      list = [];
      stateBy.set(s.customerId as string, list);
    }
    list.push({ at: at as number, band: s.band as string, p: s.churnProbability as number });
  });
  if (issues.length > 0) throw new ValidationError(FN, issues, 'states');
  for (const list of stateBy.values()) list.sort((a, b) => a.at - b.at);

  // Per customer: action times, outcome times, subscription status changes (only events <= asOf).
  const custs =
    store !== null
      ? storeCusts(store, asOf, action, actionType, outcome)
      : eventCusts(events as readonly EventLike[], times as Float64Array, asOf, action, actionType, outcome);
  for (const c of custs.values()) {
    c.actions.sort((a, b) => a - b);
    c.outcomes.sort((a, b) => a - b);
    c.subs.sort((a, b) => a.t - b.t || Number(a.cancel) - Number(b.cancel));
  }
  const churnOutcome = outcome === 'subscription_cancelled';
  const activeAt = (c: Cust | undefined, t: number): boolean => {
    if (!churnOutcome || !c) return true;
    let cancelled = false;
    for (const s of c.subs) {
      if (s.t > t) break;
      cancelled = s.cancel;
    }
    return !cancelled;
  };
  const outcomeIn = (c: Cust | undefined, t: number): boolean => {
    if (!c) return false;
    for (const o of c.outcomes) if (o > t && o <= t + H) return true;
    return false;
  };
  const stateAt = (id: string, t: number) => {
    const list = stateBy.get(id);
    if (!list) return null;
    let best: { at: number; band: string; p: number } | null = null;
    for (const s of list) {
      if (s.at > t) break;
      best = s;
    }
    return best !== null && t - best.at <= maxAge * MS_PER_DAY ? best : null;
  };

  const strata = new Map<string, EffectStratum>();
  const cell = (band: string, p: number): EffectStratum => {
    const k = bisect(edges, p);
    const key = `${band}\u0000${k}`;
    let s = strata.get(key);
    if (!s) {
      s = {
        band,
        bin: [edges[k] as number, edges[k + 1] as number],
        treated: 0,
        treatedEvents: 0,
        controls: 0,
        controlEvents: 0,
        difference: null,
      };
      strata.set(key, s);
    }
    return s;
  };
  let noState = 0;
  let incomplete = 0;
  let treated = 0;
  let controls = 0;
  const treatedIds = new Set<string>();
  const ids = [...new Set([...custs.keys(), ...stateBy.keys()])].sort();
  for (const id of ids) {
    const c = custs.get(id);
    if (c && c.actions.length > 0) {
      treatedIds.add(id);
      const a = c.actions[0] as number;
      if (a + H > asOf) {
        incomplete++;
        continue;
      }
      if (!activeAt(c, a)) continue;
      const st = stateAt(id, a);
      if (st === null) {
        noState++;
        continue;
      }
      const s = cell(st.band, st.p);
      s.treated++;
      if (outcomeIn(c, a)) s.treatedEvents++;
      treated++;
    }
  }
  const rng = createRng(`${seed}:actionEffect`);
  for (const id of ids) {
    if (treatedIds.has(id)) continue;
    const list = stateBy.get(id);
    if (!list) continue;
    const c = custs.get(id);
    const eligible = list.filter((s) => s.at + H <= asOf && activeAt(c, s.at));
    if (eligible.length === 0) continue;
    const st =
      eligible.length === 1
        ? (eligible[0] as (typeof eligible)[0])
        : (eligible[rng.int(eligible.length)] as (typeof eligible)[0]);
    const s = cell(st.band, st.p);
    s.controls++;
    if (outcomeIn(c, st.at)) s.controlEvents++;
    controls++;
  }

  const list = [...strata.values()].sort((a, b) =>
    a.band < b.band ? -1 : a.band > b.band ? 1 : a.bin[0] - b.bin[0],
  );
  let W = 0;
  let sumD = 0;
  let sumV = 0;
  let sumT = 0;
  let sumC = 0;
  let allTE = 0;
  let allCE = 0;
  for (const s of list) {
    allTE += s.treatedEvents;
    allCE += s.controlEvents;
    if (s.treated === 0 || s.controls === 0) continue;
    const pt = s.treatedEvents / s.treated;
    const pc = s.controlEvents / s.controls;
    s.difference = pt - pc;
    W += s.treated;
    sumD += s.treated * s.difference;
    sumT += s.treated * pt;
    sumC += s.treated * pc;
    sumV +=
      s.treated *
      s.treated *
      (adjustedPropVar(s.treatedEvents, s.treated) + adjustedPropVar(s.controlEvents, s.controls));
  }
  const warnings: VitalsWarning<ActionEffectWarningCode>[] = [];
  if (noState > 0)
    warnings.push({
      code: 'no_state',
      message: `${noState} treated customer(s) had no state within ${maxAge} days before the action and were left out.`,
    });
  if (incomplete > 0)
    warnings.push({
      code: 'incomplete_follow_up',
      message: `${incomplete} treated customer(s) got the action less than ${horizonDays} days before asOf and were left out (follow-up incomplete).`,
    });
  const unmatched = treated - W;
  if (unmatched > 0)
    warnings.push({
      code: 'unmatched_treated',
      message: `${unmatched} treated customer(s) fell in strata with no comparable untreated customer and are not in the estimate.`,
    });
  if (treated < 30)
    warnings.push({
      code: 'few_treated',
      message: `Only ${treated} treated customer(s) could be compared; the interval is wide.`,
    });
  if (controls < 30)
    warnings.push({
      code: 'few_controls',
      message: `Only ${controls} untreated customer(s) could serve as comparison.`,
    });
  const naive = treated > 0 && controls > 0 ? allTE / treated - allCE / controls : null;
  const base = {
    action,
    outcome,
    horizonDays,
    naiveEffect: naive,
    treated,
    matchedTreated: W,
    controls,
    strata: list,
    method: METHOD,
    caveat: CAVEAT,
    dataUsed: [
      'customerId',
      'type',
      'timestamp',
      `properties.action (${actionType})`,
      'states.band',
      'states.churnProbability',
      'states.at',
    ],
    warnings,
  };
  if (W === 0)
    return {
      ...base,
      effect: null,
      interval: null,
      standardError: null,
      pValue: null,
      treatedRate: null,
      controlRate: null,
      reason:
        treated === 0
          ? `no customer got "${action}" with a state and ${horizonDays} days of follow-up before asOf`
          : 'no stratum (band × probability bin) holds both treated and untreated customers',
    };
  const effect = sumD / W;
  const se = Math.sqrt(sumV) / W;
  return {
    ...base,
    effect,
    interval: [effect - Z95 * se, effect + Z95 * se],
    standardError: se,
    pValue: se > 0 ? twoSidedP(effect / se) : effect === 0 ? 1 : 0,
    treatedRate: sumT / W,
    controlRate: sumC / W,
    reason: null,
  };
}

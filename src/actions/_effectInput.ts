/** What `actionEffect` reads: its options and states, validated, and each customer's event times. */
import { optionError, ValidationError, type ValidationIssue } from '../_lib/errors';
import { isPlainObject } from '../_lib/safe';
import { MS_PER_DAY, requireEpochMs, toEpochMs } from '../_lib/time';
import { StorePropReader, typeMask } from '../segment/_storeInput';
import type { EventStore } from '../store/EventStore';
import type { EventLike } from './_eventRows';
import type { ActionEffectOptions } from './actionEffect';

/** The public function the errors name. */
export const FN = 'actionEffect';

/** A customer's state at a time: health band and churn probability. */
export interface StatePoint {
  at: number;
  band: string;
  p: number;
}

/** The validated options of `actionEffect`, defaults applied. */
export interface EffectSettings {
  action: string;
  asOf: number;
  actionType: string;
  outcome: string;
  horizonDays: number;
  maxAge: number;
  edges: readonly number[];
  seed: number | string;
  /** The horizon in ms. */
  H: number;
}

/** Checks every option but `states`, in order, with the defaults. */
export function readEffectOptions(options: ActionEffectOptions): EffectSettings {
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
  return { action, asOf, actionType, outcome, horizonDays, maxAge, edges, seed, H };
}

/** The states, every row checked (first 100 problems located), grouped per customer and sorted by time. */
export function readStates(states: ActionEffectOptions['states']): Map<string, StatePoint[]> {
  if (!Array.isArray(states))
    throw optionError(
      FN,
      'states',
      'is required: an array of { customerId, at, band, churnProbability }',
      'required',
    );
  const issues: ValidationIssue[] = [];
  const stateBy = new Map<string, { at: number; band: string; p: number }[]>();
  states.forEach((s: unknown, i) => {
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
  return stateBy;
}

/** One customer's action times, outcome times and subscription status changes (events <= asOf). */
export interface Cust {
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

/** Each customer's action, outcome and subscription times up to asOf, from events (unsorted). */
export function eventCusts(
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
export function storeCusts(
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

/** Per customer: action, outcome and subscription times up to asOf, each list sorted. */
export function customerLists(
  events: readonly EventLike[] | EventStore,
  store: EventStore | null,
  times: Float64Array | null,
  o: EffectSettings,
): Map<string, Cust> {
  const custs =
    store !== null
      ? storeCusts(store, o.asOf, o.action, o.actionType, o.outcome)
      : eventCusts(
          events as readonly EventLike[],
          times as Float64Array,
          o.asOf,
          o.action,
          o.actionType,
          o.outcome,
        );
  for (const c of custs.values()) {
    c.actions.sort((a, b) => a - b);
    c.outcomes.sort((a, b) => a - b);
    c.subs.sort((a, b) => a.t - b.t || Number(a.cancel) - Number(b.cancel));
  }
  return custs;
}

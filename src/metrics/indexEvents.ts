import { ValidationError, type ValidationIssue } from '../_lib/errors';
import { showValue } from '../_lib/safe';
import type { CustomerEvent } from '../events/types';
import { ACTIVITY_TYPES } from '../events/vocabulary';
import { buildMrrHistory, type MrrHistory } from './_mrr';
import { bucketOrder, IdIndex } from './_shared';

/** Activity events (`login`, `session`, `feature_used`) as typed columns. @internal */
export interface ActivityColumns {
  size: number;
  time: Float64Array;
  /** Dense customer index into `ids.customerIds`. */
  customer: Int32Array;
  /** Dense user index (customer + userId), -1 without a userId. */
  user: Int32Array;
  /** Feature index into `features` for `feature_used` with a string feature, else -1. */
  feature: Int32Array;
  /** Uses: `value` of feature_used when finite, else 1. */
  uses: Float64Array;
  ids: IdIndex;
  features: string[];
}

const EMPTY: readonly CustomerEvent[] = Object.freeze([]);
const EMPTY_POSITIONS = new Int32Array(0);

/**
 * A read-only, lazily built index over an event array, shared by every metric. Each part (events by
 * type, activity columns, MRR history, first-seen times) is computed on first use and reused, so
 * running many metrics over the same events pays for each pass once. Build it with
 * {@link indexEvents}; every metric accepts either an event array or an `EventIndex`.
 *
 * The index is a snapshot: do not mutate the event array after indexing it.
 * @example
 * ```ts
 * const ix = indexEvents(events);
 * const range = { from: '2025-01-01', to: '2025-07-01', period: 'month' as const };
 * mrrMovements(ix, range); // => [{ periodStart, periodEnd, startMrr, new, ..., endMrr, n }, ...]
 * logoRetention(ix, range); // reuses the MRR history built by the first call
 * ```
 */
export class EventIndex {
  /** The indexed events, in input order. */
  readonly events: readonly CustomerEvent[];
  private typeOrder: { codeOf: Map<string, number>; offsets: Int32Array; order: Int32Array } | undefined;
  private readonly typeLists = new Map<string, readonly CustomerEvent[]>();
  private activityCols: ActivityColumns | undefined;
  private mrr: MrrHistory | undefined;
  private firstSeenTimes: Float64Array | undefined;

  constructor(events: readonly CustomerEvent[]) {
    this.events = events;
  }

  /**
   * Positions (indices into `events`) of the events of one type, ascending. Built for all types at
   * once by a counting sort over a typed type-code column, so no per-type object arrays are kept.
   */
  positions(type: string): Int32Array {
    if (this.typeOrder === undefined) {
      const events = this.events;
      const n = events.length;
      const codes = new Int32Array(n);
      const codeOf = new Map<string, number>();
      // Consecutive events often share a type, and parsed types are usually the same string
      // objects, so the cache check is a pointer comparison that skips most Map lookups.
      let lastType: string | undefined;
      let lastCode = 0;
      // First event time per customer, in the same pass (for "customers seen by asOf").
      const first = new Map<string, number>();
      let lastId: string | undefined;
      let lastFirst = 0;
      for (let i = 0; i < n; i++) {
        const e = events[i] as CustomerEvent;
        const id = e.customerId;
        const t = e.timestamp;
        if (id !== lastId) {
          const known = first.get(id);
          lastId = id;
          lastFirst = known === undefined ? Number.POSITIVE_INFINITY : known;
        }
        if (t < lastFirst) {
          lastFirst = t;
          first.set(id, t);
        }
        const type = e.type;
        if (type !== lastType) {
          let c = codeOf.get(type);
          if (c === undefined) {
            c = codeOf.size;
            codeOf.set(type, c);
          }
          lastType = type;
          lastCode = c;
        }
        codes[i] = lastCode;
      }
      this.firstSeenTimes = Float64Array.from(first.values()).sort();
      const { offsets, order } = bucketOrder(codes, codeOf.size);
      this.typeOrder = { codeOf, offsets, order };
    }
    const { codeOf, offsets, order } = this.typeOrder;
    const c = codeOf.get(type);
    if (c === undefined) return EMPTY_POSITIONS;
    return order.subarray(offsets[c] as number, offsets[c + 1] as number);
  }

  /** Events of one type, in input order (empty array when none); materialised on first request. */
  ofType(type: string): readonly CustomerEvent[] {
    let list = this.typeLists.get(type);
    if (list === undefined) {
      const pos = this.positions(type);
      const out = new Array<CustomerEvent>(pos.length);
      for (let j = 0; j < pos.length; j++) out[j] = this.events[pos[j] as number] as CustomerEvent;
      list = pos.length === 0 ? EMPTY : out;
      this.typeLists.set(type, list);
    }
    return list;
  }

  /** @internal Activity events as typed columns. */
  activity(): ActivityColumns {
    if (this.activityCols !== undefined) return this.activityCols;
    let size = 0;
    for (const type of ACTIVITY_TYPES) size += this.positions(type).length;
    const time = new Float64Array(size);
    const customer = new Int32Array(size);
    const user = new Int32Array(size);
    const feature = new Int32Array(size);
    const uses = new Float64Array(size);
    const ids = new IdIndex();
    const featureIndex = new Map<string, number>();
    const features: string[] = [];
    feature.fill(-1);
    uses.fill(1);
    const events = this.events;
    let j = 0;
    let lastName: unknown;
    let lastFeature = -1;
    for (const type of ACTIVITY_TYPES) {
      const pos = this.positions(type);
      const isFeature = type === 'feature_used';
      for (let p = 0; p < pos.length; p++, j++) {
        const e = events[pos[p] as number] as CustomerEvent;
        const props = e.properties;
        time[j] = e.timestamp;
        customer[j] = ids.customer(e.customerId);
        user[j] = ids.user(e.customerId, props);
        if (!isFeature) continue;
        const name = props?.feature;
        if (name === lastName) feature[j] = lastFeature;
        else if (typeof name === 'string' && name.length > 0) {
          let f = featureIndex.get(name);
          if (f === undefined) {
            f = features.length;
            featureIndex.set(name, f);
            features.push(name);
          }
          feature[j] = f;
          lastName = name;
          lastFeature = f;
        }
        const v = e.value;
        if (typeof v === 'number' && Number.isFinite(v)) uses[j] = v;
      }
    }
    this.activityCols = { size, time, customer, user, feature, uses, ids, features };
    return this.activityCols;
  }

  /** @internal Per-customer MRR change history (see `_mrr.ts`). */
  mrrHistory(): MrrHistory {
    if (this.mrr === undefined) {
      this.mrr = buildMrrHistory([
        this.ofType('subscription_started'),
        this.ofType('subscription_changed'),
        this.ofType('subscription_renewed'),
        this.ofType('subscription_cancelled'),
      ]);
    }
    return this.mrr;
  } /** @internal First event time of every customer (any type), ascending; built with the type positions. */
  firstSeen(): Float64Array {
    if (this.firstSeenTimes === undefined) this.positions('');
    return this.firstSeenTimes as Float64Array;
  }
}

/**
 * Indexes events once for many metrics: pass the result instead of the array to every metrics
 * function and each shared pass (grouping by type, activity columns, MRR history) runs only once.
 *
 * @param events validated events (e.g. `parseEvents(rows).events`); treated as immutable.
 * @returns a lazily built {@link EventIndex}.
 * @example
 * ```ts
 * const ix = indexEvents(events);
 * mrrMovements(ix, range); revenueRetention(ix, range); stickiness(ix, range); // one pass each part
 * ```
 */
export function indexEvents(events: readonly CustomerEvent[]): EventIndex {
  return asIndex(events, 'indexEvents');
}

/** Events or an index; the input type of every metrics function. */
export type EventsInput = readonly CustomerEvent[] | EventIndex;

/**
 * The index of an events input (re-used when it already is one).
 * @throws ValidationError when `input` is neither an array nor an {@link EventIndex}, or an entry of
 *   the array is not a validated event (string customerId and type, finite timestamp, number value).
 * @internal
 */
export function asIndex(input: EventsInput, fn = 'metrics'): EventIndex {
  if (input instanceof EventIndex) return input;
  if (!Array.isArray(input)) {
    const got = input === null ? 'null' : typeof input;
    throw new ValidationError(fn, [
      {
        path: ['events'],
        code: 'invalid_type',
        message: `events must be an array of events or an EventIndex, got ${got}`,
      },
    ]);
  }
  checkEventShapes(input, fn);
  return new EventIndex(input);
}

/**
 * The metrics read `customerId`, `type`, `timestamp` and `value` of validated events: an entry that
 * is not one (null, a churn row, a NaN timestamp) would give a TypeError or NaN deep inside. One
 * pass of typeof checks, no allocation; lists up to 20 bad entries.
 */
function checkEventShapes(events: readonly CustomerEvent[], fn: string): void {
  let issues: ValidationIssue[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as CustomerEvent | null | undefined;
    if (
      e !== null &&
      typeof e === 'object' &&
      typeof e.customerId === 'string' &&
      typeof e.type === 'string' &&
      typeof e.timestamp === 'number' &&
      Number.isFinite(e.timestamp) &&
      (e.value === undefined || typeof e.value === 'number')
    )
      continue;
    const what =
      e === null || typeof e !== 'object'
        ? showValue(e)
        : typeof e.customerId !== 'string'
          ? `customerId ${showValue(e.customerId)}`
          : typeof e.type !== 'string'
            ? `type ${showValue(e.type)}`
            : typeof e.timestamp !== 'number' || !Number.isFinite(e.timestamp)
              ? `timestamp ${showValue(e.timestamp)}`
              : `value ${showValue(e.value)}`;
    issues ??= [];
    issues.push({
      index: i,
      path: [],
      code: 'invalid_record',
      message: `not a validated event (${what}); pass parseEvents(rows).events`,
    });
    if (issues.length >= 20) break;
  }
  if (issues !== undefined) throw new ValidationError(fn, issues, 'events');
}

import { ValidationError } from '../_lib/errors';
import { compareCodeUnits } from '../_lib/order';
import { showValue } from '../_lib/safe';
import { describeValue } from '../_lib/time';
import type { CustomerEvent, CustomerTimeline, CustomerTimelines } from './types';

const EMPTY: readonly CustomerEvent[] = Object.freeze([]);

class Timeline implements CustomerTimeline {
  readonly customerId: string;
  readonly events: readonly CustomerEvent[];
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  private types: Map<string, CustomerEvent[]> | undefined;
  constructor(customerId: string, events: CustomerEvent[]) {
    this.customerId = customerId;
    this.events = events;
    this.firstTimestamp = (events[0] as CustomerEvent).timestamp;
    this.lastTimestamp = (events[events.length - 1] as CustomerEvent).timestamp;
  }
  /** Built on first use: callers that only walk `events` never pay for it. */
  get byType(): ReadonlyMap<string, readonly CustomerEvent[]> {
    if (this.types === undefined) {
      const byType = new Map<string, CustomerEvent[]>();
      const events = this.events;
      for (let i = 0; i < events.length; i++) {
        const e = events[i] as CustomerEvent;
        const list = byType.get(e.type);
        if (list === undefined) byType.set(e.type, [e]);
        else list.push(e);
      }
      this.types = byType;
    }
    return this.types;
  }
  ofType(type: string): readonly CustomerEvent[] {
    return this.byType.get(type) ?? EMPTY;
  }
}

function compareStrings(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/**
 * Canonical JSON with sorted keys, used only to break exact ties (so its cost is rare). Never throws:
 * cycles print as "[circular]", BigInt as "<n>n", and nesting below 64 levels as "[deep]".
 */
function stableKey(value: unknown): string {
  if (value === undefined) return '';
  const parts: string[] = [];
  canonical(value, 0, [], parts);
  return parts.join('');
}

function canonical(v: unknown, depth: number, stack: object[], out: string[]): void {
  if (typeof v === 'bigint') {
    out.push(`"${v}n"`);
    return;
  }
  if (v === null || typeof v !== 'object') {
    out.push(
      v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : JSON.stringify(v),
    );
    return;
  }
  if (depth >= 64) {
    out.push('"[deep]"');
    return;
  }
  if (stack.includes(v)) {
    out.push('"[circular]"');
    return;
  }
  stack.push(v);
  if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      canonical(v[i], depth + 1, stack, out);
    }
    out.push(']');
  } else if (v instanceof Date) {
    out.push(JSON.stringify(Number.isFinite(v.getTime()) ? v.toISOString() : 'Invalid Date'));
  } else {
    out.push('{');
    const keys = Object.keys(v).sort();
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out.push(',');
      out.push(JSON.stringify(keys[i]), ':');
      canonical((v as Record<string, unknown>)[keys[i] as string], depth + 1, stack, out);
    }
    out.push('}');
  }
  stack.pop();
}

/** Properties in their own key order (second tie-breaker); never throws. */
function insertionKey(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/** What {@link compareEvents} reads has the types of a validated event (cheap typeof checks only). */
function isComparable(e: CustomerEvent): boolean {
  if (e === null || typeof e !== 'object') return false;
  const t = e.timestamp;
  if (typeof t !== 'number' || Number.isNaN(t)) return false;
  if (typeof e.type !== 'string') return false;
  const id = e.eventId;
  if (id !== undefined && typeof id !== 'string') return false;
  const v = e.value;
  return v === undefined || typeof v === 'number';
}

function notComparable(a: CustomerEvent, b: CustomerEvent): ValidationError {
  const bad = isComparable(a) ? b : a;
  const which = bad === a ? 'a' : 'b';
  let what: string;
  if (bad === null || typeof bad !== 'object') what = `is ${showValue(bad)}`;
  else if (typeof bad.timestamp !== 'number' || Number.isNaN(bad.timestamp))
    what = `has timestamp ${showValue(bad.timestamp)}`;
  else if (typeof bad.type !== 'string') what = `has type ${showValue(bad.type)}`;
  else if (bad.eventId !== undefined && typeof bad.eventId !== 'string')
    what = `has eventId ${showValue(bad.eventId)}`;
  else what = `has value ${showValue(bad.value)}`;
  return new ValidationError('compareEvents', [
    {
      path: [],
      code: 'invalid_record',
      message: `event ${which} ${what}, not a validated event (number timestamp, string type, optional string eventId and number value); pass parseEvents(rows).events`,
    },
  ]);
}

/**
 * Total order on events: by timestamp, then type, eventId, value and properties (by content, then
 * by key order). Used so that events at the same instant come out in the same order whatever order
 * they came in.
 * @returns negative, zero or positive, as for `Array.prototype.sort`.
 * @throws ValidationError when `a` or `b` is not an object with a number `timestamp` (not NaN), a
 *   string `type`, and, when present, a string `eventId` and a number `value`.
 * @example
 * ```ts
 * const login = { customerId: 'a', type: 'login', timestamp: 5 };
 * const used = { customerId: 'a', type: 'feature_used', timestamp: 5 };
 * [login, used].sort(compareEvents).map((e) => e.type); // => ['feature_used', 'login']
 * ```
 */
export function compareEvents(a: CustomerEvent, b: CustomerEvent): number {
  if (!isComparable(a) || !isComparable(b)) throw notComparable(a, b);
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  let c = compareStrings(a.type, b.type);
  if (c !== 0) return c;
  c = compareStrings(a.eventId, b.eventId);
  if (c !== 0) return c;
  const av = a.value ?? Number.NEGATIVE_INFINITY;
  const bv = b.value ?? Number.NEGATIVE_INFINITY;
  if (av !== bv) return av < bv ? -1 : 1;
  if (a.properties === b.properties) return 0;
  c = compareStrings(stableKey(a.properties), stableKey(b.properties));
  if (c !== 0) return c;
  // Same properties in a different key order: still order them, so that the output (down to its
  // JSON) never depends on the input order. Only byte-identical events remain tied.
  return compareStrings(insertionKey(a.properties), insertionKey(b.properties));
}

/**
 * Groups events into per-customer timelines.
 *
 * Each timeline's events are sorted by timestamp; events at the same instant are ordered by type,
 * eventId, value and properties, so the output never depends on the input order. The returned Map
 * iterates customers in ascending customer-id order (code-unit order). Customer ids are Map keys,
 * so ids like `__proto__` are ordinary keys. Runs in O(n log k) for n events and k events per customer,
 * with a linear fast path for customers whose events already arrive in order. Each timeline's
 * `byType` index is built on first use.
 *
 * @param events validated events, e.g. `parseEvents(rows).events`.
 * @returns a `Map` from customer id to {@link CustomerTimeline}.
 * @throws {ValidationError} when `events` is not an array or holds something that is not an event.
 * @example
 * ```ts
 * const timelines = groupByCustomer(parseEvents(rows).events);
 * timelines.get('acme')?.ofType('login').length; // => 42
 * ```
 */
export function groupByCustomer(events: readonly CustomerEvent[]): CustomerTimelines {
  if (!Array.isArray(events))
    throw new ValidationError('groupByCustomer', [
      {
        path: [],
        code: 'not_an_array',
        message: `groupByCustomer expects an array of events (e.g. parseEvents(rows).events), got ${describeValue(events)}`,
      },
    ]);
  const buckets = new Map<string, CustomerEvent[]>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as CustomerEvent;
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.customerId !== 'string' ||
      typeof e.timestamp !== 'number'
    )
      throw new ValidationError(
        'groupByCustomer',
        [
          {
            index: i,
            path: [],
            code: 'invalid_record',
            message: `event ${i} is not a validated event (${describeValue(e)}); pass parseEvents(rows).events`,
          },
        ],
        'events',
      );
    const list = buckets.get(e.customerId);
    if (list === undefined) buckets.set(e.customerId, [e]);
    else list.push(e);
  }
  const ids = Array.from(buckets.keys()).sort(compareCodeUnits);
  const out = new Map<string, CustomerTimeline>();
  for (const id of ids) {
    const list = buckets.get(id) as CustomerEvent[];
    let sorted = true;
    for (let i = 1; i < list.length; i++) {
      if (compareEvents(list[i - 1] as CustomerEvent, list[i] as CustomerEvent) > 0) {
        sorted = false;
        break;
      }
    }
    if (!sorted) list.sort(compareEvents);
    out.set(id, new Timeline(id, list));
  }
  return out;
}

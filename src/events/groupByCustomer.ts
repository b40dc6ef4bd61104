import { compareCodeUnits } from '../_lib/order';
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

function stableKey(value: unknown): string {
  // Canonical JSON with sorted keys: used only to break exact ties, so cost is rare.
  if (value === undefined) return '';
  return JSON.stringify(value, (_k, v) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const out: Record<string, unknown> = Object.create(null);
      for (const key of Object.keys(v).sort()) out[key] = (v as Record<string, unknown>)[key];
      return out;
    }
    return v;
  });
}

/**
 * Total order on events: by timestamp, then type, eventId, value and properties (by content, then
 * by key order). Used so that events at the same instant come out in the same order whatever order
 * they came in.
 * @returns negative, zero or positive, as for `Array.prototype.sort`.
 * @example
 * ```ts
 * const login = { customerId: 'a', type: 'login', timestamp: 5 };
 * const used = { customerId: 'a', type: 'feature_used', timestamp: 5 };
 * [login, used].sort(compareEvents).map((e) => e.type); // => ['feature_used', 'login']
 * ```
 */
export function compareEvents(a: CustomerEvent, b: CustomerEvent): number {
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
  return compareStrings(JSON.stringify(a.properties), JSON.stringify(b.properties));
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
 * @example
 * ```ts
 * const timelines = groupByCustomer(parseEvents(rows).events);
 * timelines.get('acme')?.ofType('login').length; // => 42
 * ```
 */
export function groupByCustomer(events: readonly CustomerEvent[]): CustomerTimelines {
  const buckets = new Map<string, CustomerEvent[]>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as CustomerEvent;
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

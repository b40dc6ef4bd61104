import { ValidationError } from '../_lib/errors';
import { groupByCustomer } from '../events/groupByCustomer';
import type { CustomerEvent, CustomerTimelines } from '../events/types';
import { type DictColumn, type EventStore, isEventStore } from '../store/EventStore';

/**
 * Events, timelines or an event store: the churn functions accept each. A store is read column by
 * column (no event object is built); events are grouped into timelines first.
 */
export type EventsOrTimelines = readonly CustomerEvent[] | CustomerTimelines | EventStore;

/**
 * @internal What the churn functions compute from: timelines (events are grouped) or a store
 * (read as columns). Private to the churn module.
 */
export type ChurnSource = CustomerTimelines | EventStore;

/**
 * @internal Groups events into timelines unless they already are timelines or a store (private
 * helper of the churn module).
 * @throws ValidationError (named after `fn`, the public caller) for anything else.
 */
export function toChurnSource(events: EventsOrTimelines, fn = 'churn'): ChurnSource {
  if (Array.isArray(events)) return groupByCustomer(events as readonly CustomerEvent[]);
  if (events instanceof Map) return events as CustomerTimelines;
  if (isEventStore(events)) return requireChurnStore(events, fn);
  throw notEvents(events, fn);
}

/** The dictionary columns the churn functions read. */
const CHURN_PROPS = ['userId', 'feature', 'ticketId', 'priority', 'plan'] as const;

/**
 * The door check of a store: the columns churn reads, with consistent lengths. An object that only
 * says `kind: 'event-store'` is a located ValidationError naming the function, not a TypeError
 * inside the loop. O(customers + properties), not O(rows).
 */
function requireChurnStore(store: EventStore, fn: string): EventStore {
  const s = store as Partial<Record<keyof EventStore, unknown>>;
  const n = s.length;
  const ids = s.customerIds;
  const off = s.offsets;
  const props = s.props as Record<string, Partial<DictColumn<unknown>> | undefined> | undefined;
  let problem: string | null = null;
  if (!Number.isInteger(n)) problem = '"length" is not an integer';
  else if (!Array.isArray(ids) || !Array.isArray(s.types))
    problem = '"customerIds" and "types" must be arrays';
  else if (
    !(off instanceof Int32Array) ||
    off.length !== ids.length + 1 ||
    off[0] !== 0 ||
    off[ids.length] !== n
  )
    problem = '"offsets" must be an Int32Array of customerIds.length + 1 row offsets from 0 to "length"';
  else if (!(s.time instanceof Float64Array) || s.time.length !== n)
    problem = '"time" must be a Float64Array of "length" values';
  else if (!(s.typeCode instanceof Uint16Array) || s.typeCode.length !== n)
    problem = '"typeCode" must be a Uint16Array of "length" values';
  else if (!(s.value instanceof Float64Array) || s.value.length !== n)
    problem = '"value" must be a Float64Array of "length" values';
  else if (!(s.hasValue instanceof Uint8Array) || s.hasValue.length !== n)
    problem = '"hasValue" must be a Uint8Array of "length" values';
  else if (props === null || typeof props !== 'object') problem = '"props" must hold the dictionary columns';
  else {
    for (let c = 1; c <= ids.length && problem === null; c++)
      if ((off[c] as number) < (off[c - 1] as number)) problem = '"offsets" must not decrease';
    for (const name of CHURN_PROPS) {
      if (problem !== null) break;
      const col = props[name];
      const codes = col?.codes;
      const rows = col?.rows;
      if (col === null || typeof col !== 'object' || !Array.isArray(col.values))
        problem = `"props.${name}" must be a dictionary column with "values"`;
      else if (codes !== null && !(codes instanceof Int32Array))
        problem = `"props.${name}.codes" must be an Int32Array or null`;
      else if (
        rows !== null &&
        (!(rows instanceof Int32Array) || codes === null || rows.length !== codes.length)
      )
        problem = `"props.${name}.rows" must be null or an Int32Array as long as its codes`;
      else if (rows === null && codes !== null && codes.length !== n)
        problem = `"props.${name}.codes" of a dense column must hold "length" codes`;
    }
  }
  if (problem !== null)
    throw new ValidationError(fn, [
      {
        path: [],
        code: 'invalid_type',
        message: `events: not an EventStore (from toEventStore or EventStoreBuilder): ${problem}`,
      },
    ]);
  return store;
}

function notEvents(events: unknown, fn: string): ValidationError {
  const got = events === null ? 'null' : typeof events;
  return new ValidationError(fn, [
    {
      path: [],
      code: 'invalid_type',
      message: `events must be an array of events, a Map of timelines or an EventStore, got ${got}`,
    },
  ]);
}

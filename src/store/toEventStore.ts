/**
 * `toEventStore`: the one normalisation path from any accepted event input to an {@link EventStore}.
 * @module
 */
import { checkOptions, ValidationError } from '../_lib/errors';
import type { CustomerEvent, CustomerTimelines } from '../events/types';
import { type EventStore, EventStoreBuilder, type EventStoreOptions, isEventStore } from './EventStore';

/** What {@link toEventStore} accepts. */
export type EventInputLike =
  | EventStore
  | readonly CustomerEvent[]
  | { readonly events: readonly CustomerEvent[] }
  | CustomerTimelines
  | Iterable<CustomerEvent>;

/**
 * Turns any accepted event input into an {@link EventStore}: a store (returned as is), an array of
 * validated events, a `parseEvents` result (its `events`), timelines (`groupByCustomer` output or a
 * `storeTimelines` view), or any iterable of validated events (e.g. chunks flattened from a stream).
 * Events must be validated (`parseEvents`): this does not re-validate them.
 *
 * The store holds time, customer, type and value in typed arrays and the properties the modules
 * read (`STORE_PROPERTIES`) dictionary-encoded; other properties only with `keepProperties`.
 *
 * @param input events in any accepted form.
 * @param options `keepProperties`, `capacity`.
 * @returns the store (rows sorted by customer id, then the library's event order).
 * @throws {ValidationError} when the input is none of the accepted forms.
 * @example
 * ```ts
 * import { toEventStore } from 'customer-vitals/store';
 * const store = toEventStore([
 *   { customerId: 'b', type: 'login', timestamp: 2 },
 *   { customerId: 'a', type: 'purchase', timestamp: 1, value: 9.5 },
 * ]);
 * store.customerIds; // => ['a', 'b']
 * store.value[0]; // => 9.5
 * ```
 */
export function toEventStore(input: EventInputLike, options: EventStoreOptions = {}): EventStore {
  checkOptions('toEventStore', options, ['keepProperties', 'capacity']);
  if (isEventStore(input)) return input;
  let source: Iterable<CustomerEvent> | undefined;
  let size = 1024;
  if (Array.isArray(input)) {
    source = input as readonly CustomerEvent[];
    size = input.length;
  } else if (input instanceof Map) {
    const tl = input as CustomerTimelines;
    source = (function* () {
      for (const t of tl.values()) yield* t.events;
    })();
  } else if (input !== null && typeof input === 'object') {
    const ev = (input as { events?: unknown }).events;
    if (Array.isArray(ev)) {
      source = ev as readonly CustomerEvent[];
      size = ev.length;
    } else if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
      source = input as Iterable<CustomerEvent>;
    }
  }
  if (source === undefined) {
    throw new ValidationError('toEventStore', [
      {
        path: [],
        code: 'invalid_type',
        message:
          'expected an event store, an array of events, a parseEvents result, timelines or an iterable of events',
      },
    ]);
  }
  const b = new EventStoreBuilder({ capacity: Math.max(16, size), ...options });
  b.appendAll(source);
  return b.finish();
}

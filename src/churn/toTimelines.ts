import { ValidationError } from '../_lib/errors';
import { groupByCustomer } from '../events/groupByCustomer';
import type { CustomerEvent, CustomerTimelines } from '../events/types';
import { type EventStore, isEventStore } from '../store/EventStore';

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
  if (isEventStore(events)) return events;
  throw notEvents(events, fn);
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

import { ValidationError } from '../_lib/errors';
import { groupByCustomer } from '../events/groupByCustomer';
import type { CustomerEvent, CustomerTimelines } from '../events/types';
import { type EventStore, isEventStore } from '../store/EventStore';
import { storeTimelines } from '../store/storeEvents';

/** Events, timelines or an event store (read one customer at a time): the churn functions accept each. */
export type EventsOrTimelines = readonly CustomerEvent[] | CustomerTimelines | EventStore;

/**
 * @internal Groups events into timelines unless they already are (private helper of the churn module).
 * @throws ValidationError (named after `fn`, the public caller) for anything else.
 */
export function toTimelines(events: EventsOrTimelines, fn = 'churn'): CustomerTimelines {
  if (Array.isArray(events)) return groupByCustomer(events as readonly CustomerEvent[]);
  if (events instanceof Map) return events as CustomerTimelines;
  if (isEventStore(events)) return storeTimelines(events);
  const got = events === null ? 'null' : typeof events;
  throw new ValidationError(fn, [
    {
      path: [],
      code: 'invalid_type',
      message: `events must be an array of events or a Map of timelines, got ${got}`,
    },
  ]);
}

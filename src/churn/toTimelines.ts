import { groupByCustomer } from '../events/groupByCustomer';
import type { CustomerEvent, CustomerTimelines } from '../events/types';

/** Events or timelines: the churn functions accept either. */
export type EventsOrTimelines = readonly CustomerEvent[] | CustomerTimelines;

/** @internal Groups events into timelines unless they already are (private helper of the churn module). */
export function toTimelines(events: EventsOrTimelines): CustomerTimelines {
  if (Array.isArray(events)) return groupByCustomer(events as readonly CustomerEvent[]);
  if (events instanceof Map) return events as CustomerTimelines;
  throw new TypeError('expected an array of events or a Map of timelines');
}

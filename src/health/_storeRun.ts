/**
 * Private: the health run of `healthHistory`, `evaluateHealth` and `suggestWeights` from events,
 * timelines or an {@link EventStore} (#13). A store is checked at the door and grouped straight from
 * its columns (`groupStoreRange`, as `scoreHealthFromStore` does): no event object per row (custom
 * signals get one customer's events at a time, as from `scoreHealthFromStore`).
 * @module
 */
import type { CustomerEvent, CustomerTimelines } from '../events/types';
import { isCheckedStore } from '../segment/_storeInput';
import { groupStoreRange, planStore } from '../store/_groupStore';
import type { EventStore } from '../store/EventStore';
import { type HealthRun, prepareHealth, prepareHealthWith, type ScoreHealthOptions } from './scoreHealth';

/** {@link prepareHealth} over events, timelines or a store (the whole store grouped at once). */
export function prepareHealthInput(
  events: readonly CustomerEvent[] | CustomerTimelines | EventStore,
  options: Omit<ScoreHealthOptions, 'asOf'>,
  fn: string,
  dates: readonly number[],
): HealthRun {
  if (!isCheckedStore(fn, events)) return prepareHealth(events, options, fn, dates);
  const plan = planStore(events, fn);
  return prepareHealthWith(
    (idRange) => {
      idRange(plan.mask, plan.first, plan.last);
      return groupStoreRange(plan, 0, events.customerIds.length);
    },
    options,
    fn,
    dates,
  );
}

/**
 * Private: the one check at the door of the segment functions that take events or timelines.
 * @module
 */
import { checkOptions, ValidationError } from '../_lib/errors';
import type { CustomerEvent, CustomerTimelines } from '../events/types';

/**
 * Throws a located `ValidationError` unless `input` is an array of event objects (string
 * `customerId` and `type`, finite `timestamp`) or a Map of timelines (as `groupByCustomer` returns;
 * each timeline is checked when read, by {@link timelineEvents}). O(n) over an array, no allocation.
 * @param fn the public function, for the message.
 * @param input what the caller passed as events.
 */
export function requireEventsInput(
  fn: string,
  input: unknown,
): asserts input is readonly CustomerEvent[] | CustomerTimelines {
  if (Array.isArray(input)) {
    for (let i = 0; i < input.length; i++) {
      const e: unknown = input[i];
      if (e === null || typeof e !== 'object' || Array.isArray(e)) {
        throw new ValidationError(
          fn,
          [{ index: i, path: [], code: 'invalid_type', message: `event must be an object, got ${kind(e)}` }],
          'events',
        );
      }
      const ev = e as { customerId?: unknown; type?: unknown; timestamp?: unknown };
      const bad =
        typeof ev.customerId !== 'string'
          ? 'customerId'
          : typeof ev.type !== 'string'
            ? 'type'
            : typeof ev.timestamp !== 'number' || !Number.isFinite(ev.timestamp)
              ? 'timestamp'
              : null;
      if (bad !== null) {
        throw new ValidationError(
          fn,
          [
            {
              index: i,
              path: [bad],
              code: 'invalid_type',
              message: `${bad} must be ${bad === 'timestamp' ? 'finite epoch milliseconds' : 'a string'} (validate rows with parseEvents first)`,
            },
          ],
          'events',
        );
      }
    }
    return;
  }
  // Timelines are checked one by one where they are read (timelineEvents), so a lazy Map view
  // (storeTimelines) is not materialised twice.
  if (input instanceof Map) return;
  throw new ValidationError(
    fn,
    [
      {
        path: [],
        code: 'invalid_type',
        message: `events must be an array of events or the timelines Map of groupByCustomer, got ${kind(input)}`,
      },
    ],
    'events',
  );
}

/** The events of one timeline of a Map input, or a located `ValidationError` when it has none. */
export function timelineEvents(fn: string, id: unknown, tl: unknown): readonly CustomerEvent[] {
  const events = tl !== null && typeof tl === 'object' ? (tl as { events?: unknown }).events : undefined;
  if (Array.isArray(events)) return events as readonly CustomerEvent[];
  throw new ValidationError(
    fn,
    [
      {
        path: [typeof id === 'string' ? id : typeof id],
        code: 'invalid_type',
        message: 'timeline must have an events array (use groupByCustomer)',
      },
    ],
    'events',
  );
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/**
 * The caller name a parser reports in messages: `fn` when it is a sensible string, else `fallback`.
 * An object in its place is a caller passing options the parser does not take: every key of it is
 * rejected as an unknown option (a typo must not pass silently), like `checkOptions` elsewhere.
 */
export function callerName(fn: unknown, fallback: string): string {
  if (fn !== null && typeof fn === 'object') checkOptions(fallback, fn, []);
  return typeof fn === 'string' && /^[\w.]{1,80}$/.test(fn) ? fn : fallback;
}

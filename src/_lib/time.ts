/**
 * Time constants and instant handling. All instants inside the library are epoch milliseconds (UTC).
 * Calendar arithmetic (months, weeks, time zones) goes through date-fns; see `period.ts`.
 *
 * Reading instants is **calendar-strict** on every path: `2025-02-30` is rejected whether it comes as
 * a date, a date-time with an offset or through a `format`, never rolled over into March. Instants
 * outside the range a JS Date can hold (|t| > 8.64e15 ms) never get in.
 *
 * The pieces live in `calendar.ts`, `isoInstant.ts`, `timeZone.ts`, `formatReader.ts`,
 * `dateShapes.ts` and `timestampReader.ts`; this module re-exports what the rest of the library
 * imports from it.
 * @module
 */

export {
  type DateInput,
  daysInMonth,
  isoDay,
  MAX_INSTANT_MS,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  MS_PER_SECOND,
  MS_PER_WEEK,
  UTC,
  utcMs,
  wallToUtcMs,
} from './calendar';
export { type DateFormatGuess, DateShapes, guessDateFormat, type TimestampUnit } from './dateShapes';
export { optionError } from './errors';
export { readEpochMs, requireEpochMs, toEpochMs } from './isoInstant';
export {
  DEFAULT_TIMESTAMP_WINDOW,
  describeValue,
  type TimestampOptions,
  TimestampReader,
  timestampOptionIssues,
} from './timestampReader';
export { isKnownTimeZone, ZoneReader } from './timeZone';

/**
 * Time constants and instant handling. All instants inside the library are epoch milliseconds (UTC).
 * Calendar arithmetic (months, weeks, time zones) goes through date-fns; see `period.ts`.
 * @module
 */

import { tz } from '@date-fns/tz';
import { optionError } from './errors';

export { optionError };

import { isValid, parseISO } from 'date-fns';

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
export const MS_PER_WEEK = 7 * MS_PER_DAY;

/** An instant as users give it: a Date, an ISO 8601 string, or epoch milliseconds. */
export type DateInput = Date | string | number;

/**
 * date-fns context for calendar arithmetic in UTC: pass as `{ in: UTC }` to addMonths, startOfMonth,
 * etc. Without it date-fns uses the machine's local time zone and results change with `TZ`.
 */
export const UTC = tz('UTC');
const utcContext = UTC;
// Full ISO 8601 date-time with an explicit offset: ECMAScript specifies Date.parse for exactly
// this format, so it is exact and fast. Everything else goes through date-fns' parseISO.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Converts a Date, ISO 8601 string or epoch-ms number to epoch milliseconds, or `null` when it is
 * not a valid, finite instant. ISO strings without an offset (`2024-03-01`, `2024-03-01T10:00`)
 * are read as UTC, never as the machine's local time, so results do not depend on `TZ`.
 */
export function toEpochMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isFinite(t) ? t : null;
  }
  if (typeof value === 'string') {
    const s = value.trim();
    if (s.length === 0 || s.length > 64) return null;
    if (ISO_WITH_OFFSET.test(s)) {
      const t = Date.parse(s);
      return Number.isFinite(t) ? t : null;
    }
    const d = parseISO(s, { in: utcContext });
    if (!isValid(d)) return null;
    const t = d.getTime();
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

/**
 * Like {@link toEpochMs} but throws a `ValidationError` naming the function and the option (code
 * `required` when it is missing, `invalid_date` when it is not a date); for `asOf`-style options.
 */
export function requireEpochMs(value: DateInput | undefined, fn: string, field: string): number {
  if (value === undefined) throw optionError(fn, field, 'is required', 'required');
  const t = toEpochMs(value);
  if (t === null) throw optionError(fn, field, `is not a valid date: ${String(value)}`, 'invalid_date');
  return t;
}

/** {@link requireEpochMs} for an optional date option: `undefined` stays undefined. */
export function readEpochMs(value: unknown, fn: string, field: string): number | undefined {
  return value === undefined ? undefined : requireEpochMs(value as DateInput, fn, field);
}

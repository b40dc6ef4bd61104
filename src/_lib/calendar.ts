/**
 * Calendar arithmetic on epoch milliseconds (UTC): the time constants, days in a month, wall-clock
 * fields to an instant (calendar-strict) and the UTC day of an instant. Part of `time.ts`, which
 * re-exports it.
 * @module
 */

import { tz } from '@date-fns/tz';

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
export const MS_PER_WEEK = 7 * MS_PER_DAY;
/** The largest instant a JS Date can hold (±8.64e15 ms, about ±275,760 years). */
export const MAX_INSTANT_MS = 8.64e15;

/** An instant as users give it: a Date, an ISO 8601 string, or epoch milliseconds. */
export type DateInput = Date | string | number;

/**
 * date-fns context for calendar arithmetic in UTC: pass as `{ in: UTC }` to addMonths, startOfMonth,
 * etc. Without it date-fns uses the machine's local time zone and results change with `TZ`.
 */
export const UTC = tz('UTC');

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** 400 Gregorian years in ms (the calendar repeats every 400 years). */
const MS_400_YEARS = 146_097 * MS_PER_DAY;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month `m` (1-12) of year `y` (proleptic Gregorian). */
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : (DAYS_IN_MONTH[m - 1] as number);
}

/**
 * `Date.UTC(y, mo - 1, d, h, mi, s, ms)` for integer fields already checked to be a calendar date
 * and time, by integer arithmetic (days from the civil date, H. Hinnant's algorithm): the readers
 * call it per row, and `Date.UTC` costs several times more. NaN beyond ±8.64e15 ms, as Date.UTC.
 */
export function utcMs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): number {
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5) + d - 1;
  const days = era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
  const t = days * MS_PER_DAY + h * MS_PER_HOUR + mi * MS_PER_MINUTE + s * MS_PER_SECOND + ms;
  return Math.abs(t) <= MAX_INSTANT_MS ? t : Number.NaN;
}

/**
 * Wall-clock fields read as UTC, in epoch ms; NaN when they are not a real calendar date and time
 * (month 13, February 30, hour 25, ...). Hour 24:00:00.000 is the next day's midnight (ISO 8601).
 */
export function wallToUtcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  if (!Number.isInteger(y) || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return Number.NaN;
  if (h === 24 && mi === 0 && s === 0 && ms === 0) {
    return wallToUtcMs(y, mo, d) + MS_PER_DAY;
  }
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 || ms < 0 || ms > 999) return Number.NaN;
  // Date.UTC maps years 0-99 to 1900-1999: shift by 400 years (same calendar) and back.
  if (y >= 0 && y < 100) return Date.UTC(y + 400, mo - 1, d, h, mi, s, ms) - MS_400_YEARS;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

/** Why wall-clock fields are not a calendar date and time, for messages. */
export function calendarProblem(y: number, mo: number, d: number, h: number, mi: number, s: number): string {
  if (mo < 1 || mo > 12) return `month ${mo} does not exist`;
  if (d < 1 || d > daysInMonth(y, mo))
    return `${MONTH_NAMES[mo - 1]} ${y} has ${daysInMonth(y, mo)} days, not ${d}`;
  if (h > 24 || mi > 59 || s > 59) return `${h}:${mi}:${s} is not a time of day`;
  return 'it is not a calendar date';
}

/**
 * The UTC date (`YYYY-MM-DD`) of an epoch-ms instant, for messages and titles; an instant outside the
 * range a `Date` holds (±8.64e15 ms, NaN) comes back as its number, so a message about hostile input
 * never throws. Years beyond 9999 keep ISO's sign and six digits (`+275760-09-13`).
 * @param t epoch milliseconds.
 * @returns the date, or `String(t)`.
 * @example
 * ```ts
 * isoDay(Date.UTC(2025, 0, 31, 23)); // => '2025-01-31'
 * isoDay(-1e20); // => '-100000000000000000000'
 * ```
 */
export function isoDay(t: number): string {
  if (!(Math.abs(t) <= MAX_INSTANT_MS)) return String(t);
  const s = new Date(t).toISOString();
  return s.slice(0, s.indexOf('T')); // years beyond 9999 have six digits and a sign
}

/**
 * Reading ISO 8601 strings and other instant inputs (Date, epoch ms) into epoch milliseconds,
 * calendar-strict. Part of `time.ts`, which re-exports it.
 * @module
 */

import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';
import {
  calendarProblem,
  type DateInput,
  daysInMonth,
  MAX_INSTANT_MS,
  MS_PER_MINUTE,
  UTC,
  utcMs,
  wallToUtcMs,
} from './calendar';
import { optionError } from './errors';
import type { ZoneReader } from './timeZone';

// Extended ISO 8601: date, optional time (T or space), optional fraction, optional offset.
export const ISO_EXTENDED =
  /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Minutes east of UTC of an offset (`Z`, `+02`, `-05:30`, `+0530`); NaN when out of range. */
export function offsetMinutes(o: string): number {
  if (o === 'Z' || o === 'z') return 0;
  const sign = o[0] === '-' ? -1 : 1;
  const digits = o.slice(1).replace(':', '');
  const h = Number(digits.slice(0, 2));
  const m = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (h > 23 || m > 59) return Number.NaN;
  return sign * (h * 60 + m);
}

/** Digit value of the character at `i`, or -1. */
function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Two digits at `i` as a number, or -1. */
function two(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/**
 * The common ISO forms (`yyyy-MM-dd`, `yyyy-MM-ddTHH:mm[:ss[.SSS]]`, with `Z` or `±HH:mm`) read
 * character by character without allocating; NaN for anything else or any calendar problem (the
 * regex path then reads it again and says why).
 */
function readIsoFast(s: string, zone: ZoneReader | null): number {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  const y1 = two(s, 0);
  const y2 = two(s, 2);
  const mo = two(s, 5);
  const d = two(s, 8);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1) return Number.NaN;
  const y = y1 * 100 + y2;
  if (d > daysInMonth(y, mo)) return Number.NaN;
  let h = 0;
  let mi = 0;
  let sec = 0;
  let ms = 0;
  let i = 10;
  if (i < n) {
    const sep = s.charCodeAt(i);
    if ((sep !== 84 && sep !== 32) || n < 16 || s.charCodeAt(13) !== 58) return Number.NaN;
    h = two(s, 11);
    mi = two(s, 14);
    if (h < 0 || h > 23 || mi < 0 || mi > 59) return Number.NaN;
    i = 16;
    if (i < n && s.charCodeAt(i) === 58) {
      sec = two(s, 17);
      if (sec < 0 || sec > 59) return Number.NaN;
      i = 19;
      if (i < n && s.charCodeAt(i) === 46) {
        i++;
        let k = 0;
        let scale = 100;
        for (; i < n; i++, k++) {
          const dg = digit(s, i);
          if (dg < 0) break;
          if (k < 3) {
            ms += dg * scale;
            scale /= 10;
          }
        }
        if (k === 0 || k > 9) return Number.NaN;
      }
    }
  }
  const wall = y < 100 ? Number.NaN : utcMs(y, mo, d, h, mi, sec, ms);
  if (Number.isNaN(wall)) return Number.NaN;
  if (i === n) return zone === null ? wall : zone.toInstant(wall);
  const c = s.charCodeAt(i);
  if ((c === 90 || c === 122) && i + 1 === n) return wall;
  if ((c === 43 || c === 45) && n - i === 6 && s.charCodeAt(i + 3) === 58) {
    const oh = two(s, i + 1);
    const om = two(s, i + 4);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
    const off = (oh * 60 + om) * (c === 45 ? -1 : 1);
    return wall - off * MS_PER_MINUTE;
  }
  return Number.NaN;
}

/** Why the last {@link readIso} failed, when it failed on a calendar problem (else ''). */
export let isoProblem = '';

/**
 * Reads an ISO 8601 string (extended form strictly, other forms through date-fns `parseISO`, which
 * is calendar-strict too). Strings without an offset are wall-clock time in `zone` (default UTC).
 * NaN when it is not ISO or not a real date; `isoProblem` then says why when the shape was ISO.
 */
export function readIso(s: string, zone: ZoneReader | null): number {
  isoProblem = '';
  const fast = readIsoFast(s, zone);
  if (!Number.isNaN(fast)) return fast;
  const m = ISO_EXTENDED.exec(s);
  if (m !== null) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const h = m[4] === undefined ? 0 : Number(m[4]);
    const mi = m[5] === undefined ? 0 : Number(m[5]);
    const sec = m[6] === undefined ? 0 : Number(m[6]);
    const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
    const wall = wallToUtcMs(y, mo, d, h, mi, sec, ms);
    if (Number.isNaN(wall)) {
      isoProblem = calendarProblem(y, mo, d, h, mi, sec);
      return Number.NaN;
    }
    const o = m[8];
    if (o !== undefined) {
      const off = offsetMinutes(o);
      if (Number.isNaN(off)) {
        isoProblem = `offset ${o} is not valid`;
        return Number.NaN;
      }
      return wall - off * MS_PER_MINUTE;
    }
    return zone === null ? wall : zone.toInstant(wall);
  }
  if (!/^[+-]?\d{4}/.test(s)) return Number.NaN;
  const d = parseISO(s, { in: UTC });
  if (!isValid(d)) return Number.NaN;
  const t = d.getTime();
  if (zone === null || HAS_OFFSET.test(s)) return t;
  return zone.toInstant(t);
}

/**
 * Converts a Date, ISO 8601 string or epoch-ms number to epoch milliseconds, or `null` when it is
 * not a valid instant. ISO strings without an offset (`2024-03-01`, `2024-03-01T10:00`) are read as
 * UTC, never as the machine's local time, so results do not depend on `TZ`. Calendar-strict
 * (`2025-02-30T00:00:00Z` is null, not 2 March); numbers beyond ±8.64e15 ms are null.
 */
export function toEpochMs(value: unknown): number | null {
  if (typeof value === 'number')
    return Number.isFinite(value) && Math.abs(value) <= MAX_INSTANT_MS ? value : null;
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isFinite(t) ? t : null;
  }
  if (typeof value === 'string') {
    const s = value.trim();
    if (s.length === 0 || s.length > 64) return null;
    const t = readIso(s, null);
    return Number.isFinite(t) && Math.abs(t) <= MAX_INSTANT_MS ? t : null;
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
  if (t === null) {
    const shown = typeof value === 'string' ? value.slice(0, 60) : String(value);
    throw optionError(fn, field, `is not a valid date: ${shown}`, 'invalid_date');
  }
  return t;
}

/** {@link requireEpochMs} for an optional date option: `undefined` stays undefined. */
export function readEpochMs(value: unknown, fn: string, field: string): number | undefined {
  return value === undefined ? undefined : requireEpochMs(value as DateInput, fn, field);
}

/**
 * Time constants and instant handling. All instants inside the library are epoch milliseconds (UTC).
 * Calendar arithmetic (months, weeks, time zones) goes through date-fns; see `period.ts`.
 *
 * Reading instants is **calendar-strict** on every path: `2025-02-30` is rejected whether it comes as
 * a date, a date-time with an offset or through a `format`, never rolled over into March. Instants
 * outside the range a JS Date can hold (|t| > 8.64e15 ms) never get in.
 * @module
 */

import { tz, tzOffset } from '@date-fns/tz';
import { format as formatDate } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parse as parseWithFormat } from 'date-fns/parse';
import { parseISO } from 'date-fns/parseISO';
import { type IssueCode, optionError, ValidationError, type ValidationIssue } from './errors';
import { showValue } from './safe';

export { optionError };

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

function calendarProblem(y: number, mo: number, d: number, h: number, mi: number, s: number): string {
  if (mo < 1 || mo > 12) return `month ${mo} does not exist`;
  if (d < 1 || d > daysInMonth(y, mo))
    return `${MONTH_NAMES[mo - 1]} ${y} has ${daysInMonth(y, mo)} days, not ${d}`;
  if (h > 24 || mi > 59 || s > 59) return `${h}:${mi}:${s} is not a time of day`;
  return 'it is not a calendar date';
}

// Extended ISO 8601: date, optional time (T or space), optional fraction, optional offset.
const ISO_EXTENDED =
  /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

function offsetMinutes(o: string): number {
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
let isoProblem = '';

/**
 * Reads an ISO 8601 string (extended form strictly, other forms through date-fns `parseISO`, which
 * is calendar-strict too). Strings without an offset are wall-clock time in `zone` (default UTC).
 * NaN when it is not ISO or not a real date; `isoProblem` then says why when the shape was ISO.
 */
function readIso(s: string, zone: ZoneReader | null): number {
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

// ---------------------------------------------------------------------------------------------
// Time zones

const BUCKET_MS = 15 * MS_PER_MINUTE;

/**
 * Wall-clock to instant in one IANA zone. Offsets are cached per UTC day when the day starts and ends
 * at the same offset (no transition inside: zones change offset at most once a day), else per
 * 15-minute bucket of that day: one or two `tzOffset` calls a day instead of one per bucket (a year of
 * local times: ~40 ms less). Same offsets as asking per 15-minute bucket.
 */
export class ZoneReader {
  private readonly cache = new Map<number, number>();
  /** Per UTC day: its offset when constant over the day, NaN when a transition falls inside it. */
  private readonly days = new Map<number, number>();
  constructor(readonly zone: string) {}
  offset(t: number): number {
    const day = Math.floor(t / MS_PER_DAY);
    let o = this.days.get(day);
    if (o === undefined) {
      const a = this.dayStart(day);
      o = a === this.dayStart(day + 1) ? a : Number.NaN;
      if (this.days.size > 200_000) this.days.clear();
      this.days.set(day, o);
    }
    return Number.isNaN(o) ? this.bucketOffset(t) : o;
  }
  private dayStart(day: number): number {
    const key = (day * MS_PER_DAY) / BUCKET_MS;
    let o = this.cache.get(key);
    if (o === undefined) {
      o = tzOffset(this.zone, new Date(day * MS_PER_DAY));
      this.cache.set(key, o);
    }
    return o;
  }
  private bucketOffset(t: number): number {
    const key = Math.floor(t / BUCKET_MS);
    let o = this.cache.get(key);
    if (o === undefined) {
      o = tzOffset(this.zone, new Date(key * BUCKET_MS));
      if (this.cache.size > 200_000) this.cache.clear();
      this.cache.set(key, o);
    }
    return o;
  }
  /**
   * The instant whose wall-clock time in the zone is `wall` (wall-clock fields as UTC ms); NaN when
   * that wall time does not exist (skipped by a DST change). A repeated wall time (clocks turned
   * back) takes the earlier instant.
   */
  toInstant(wall: number): number {
    const before = this.offset(wall - MS_PER_DAY);
    const after = this.offset(wall + MS_PER_DAY);
    let best = Number.NaN;
    const t1 = wall - before * MS_PER_MINUTE;
    if (this.offset(t1) === before) best = t1;
    if (after !== before) {
      const t2 = wall - after * MS_PER_MINUTE;
      if (this.offset(t2) === after && !(t2 >= best)) best = t2;
    }
    if (Number.isNaN(best)) {
      const o = this.offset(wall);
      const t = wall - o * MS_PER_MINUTE;
      if (this.offset(t) === o) best = t;
    }
    return best;
  }
}

/** True when `zone` is a time zone name the runtime knows (IANA, `UTC` or an offset like `+02:00`). */
export function isKnownTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  return Number.isFinite(tzOffset(zone, new Date(0)));
}

// ---------------------------------------------------------------------------------------------
// Explicit formats (date-fns `parse` patterns), compiled once

type Step =
  | { kind: 'lit'; text: string }
  | {
      kind: 'num';
      field: 'y' | 'yy' | 'M' | 'd' | 'H' | 'h' | 'm' | 's' | 'S';
      slot: number;
      min: number;
      max: number;
    }
  | { kind: 'ampm' }
  | { kind: 'offset'; z: boolean };

const FIELD_OF: Record<string, Step | undefined> = {
  yyyy: { kind: 'num', field: 'y', slot: 0, min: 4, max: 4 },
  y: { kind: 'num', field: 'y', slot: 0, min: 1, max: 4 },
  yy: { kind: 'num', field: 'yy', slot: 1, min: 2, max: 2 },
  M: { kind: 'num', field: 'M', slot: 2, min: 1, max: 2 },
  MM: { kind: 'num', field: 'M', slot: 2, min: 2, max: 2 },
  d: { kind: 'num', field: 'd', slot: 3, min: 1, max: 2 },
  dd: { kind: 'num', field: 'd', slot: 3, min: 2, max: 2 },
  H: { kind: 'num', field: 'H', slot: 4, min: 1, max: 2 },
  HH: { kind: 'num', field: 'H', slot: 4, min: 2, max: 2 },
  h: { kind: 'num', field: 'h', slot: 5, min: 1, max: 2 },
  hh: { kind: 'num', field: 'h', slot: 5, min: 2, max: 2 },
  m: { kind: 'num', field: 'm', slot: 6, min: 1, max: 2 },
  mm: { kind: 'num', field: 'm', slot: 6, min: 2, max: 2 },
  s: { kind: 'num', field: 's', slot: 7, min: 1, max: 2 },
  ss: { kind: 'num', field: 's', slot: 7, min: 2, max: 2 },
  S: { kind: 'num', field: 'S', slot: 8, min: 1, max: 1 },
  SS: { kind: 'num', field: 'S', slot: 8, min: 2, max: 2 },
  SSS: { kind: 'num', field: 'S', slot: 8, min: 3, max: 3 },
  a: { kind: 'ampm' },
  aa: { kind: 'ampm' },
  X: { kind: 'offset', z: true },
  XX: { kind: 'offset', z: true },
  XXX: { kind: 'offset', z: true },
  x: { kind: 'offset', z: false },
  xx: { kind: 'offset', z: false },
  xxx: { kind: 'offset', z: false },
};

/** Splits a date-fns pattern into steps; null when it uses a token the fast reader does not know. */
function compileSteps(pattern: string): Step[] | null {
  const steps: Step[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === -1) return null;
      steps.push({ kind: 'lit', text: end === i + 1 ? "'" : pattern.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (j < pattern.length && pattern[j] === c) j++;
      const step = FIELD_OF[pattern.slice(i, j)];
      if (step === undefined) return null;
      steps.push(step);
      i = j;
      continue;
    }
    steps.push({ kind: 'lit', text: c });
    i++;
  }
  return steps;
}

/** Reusable result slots of a compiled format (no allocation per value). */
interface Fields {
  y: number;
  yy: number;
  M: number;
  d: number;
  H: number;
  h: number;
  m: number;
  s: number;
  S: number;
  pm: number;
  off: number;
}

class FormatReader {
  private readonly steps: Step[] | null;
  private readonly slots = new Float64Array(10);
  private readonly f: Fields = {
    y: 0,
    yy: -1,
    M: 1,
    d: 1,
    H: 0,
    h: -1,
    m: 0,
    s: 0,
    S: 0,
    pm: -1,
    off: Number.NaN,
  };
  /** Why the last read failed: '' = did not match the pattern, else the calendar problem. */
  problem = '';
  /** Per step, as numbers (the hot loop reads no step objects): kind 0 = one literal char, 2 = digits, 1 = other. */
  private readonly kinds: Int8Array;
  private readonly argA: Int32Array;
  private readonly argB: Int32Array;
  private readonly argC: Int32Array;
  constructor(readonly pattern: string) {
    this.steps = compileSteps(pattern);
    const steps = this.steps ?? [];
    this.kinds = new Int8Array(steps.length);
    this.argA = new Int32Array(steps.length);
    this.argB = new Int32Array(steps.length);
    this.argC = new Int32Array(steps.length);
    steps.forEach((st, k) => {
      if (st.kind === 'lit' && st.text.length === 1) {
        this.kinds[k] = 0;
        this.argA[k] = st.text.charCodeAt(0);
      } else if (st.kind === 'num') {
        this.kinds[k] = 2;
        this.argA[k] = st.slot;
        this.argB[k] = st.min;
        this.argC[k] = st.max;
      } else this.kinds[k] = 1;
    });
  }
  /** Wall-clock ms (as UTC) or NaN; `offsetMin` is the offset read from the string (NaN if none). */
  read(s: string): number {
    this.problem = '';
    const steps = this.steps;
    if (steps === null) return this.readWithDateFns(s);
    // Field slots: 0 y, 1 yy, 2 M, 3 d, 4 H, 5 h, 6 m, 7 s, 8 S, 9 pm. Numeric slots, no keyed stores.
    const f = this.slots;
    f[0] = 1970;
    f[1] = -1;
    f[2] = 1;
    f[3] = 1;
    f[4] = 0;
    f[5] = -1;
    f[6] = 0;
    f[7] = 0;
    f[8] = 0;
    f[9] = -1;
    this.f.off = Number.NaN;
    let i = 0;
    const n = s.length;
    const kinds = this.kinds;
    const a = this.argA;
    const b = this.argB;
    const c = this.argC;
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[k] as number;
      if (kind === 0) {
        // one literal character
        if (s.charCodeAt(i) !== a[k]) return Number.NaN;
        i++;
      } else if (kind === 2) {
        // digits: a = slot, b = min, c = max
        let v = 0;
        let len = 0;
        const max = c[k] as number;
        while (len < max && i < n) {
          const ch = s.charCodeAt(i);
          if (ch < 48 || ch > 57) break;
          v = v * 10 + (ch - 48);
          i++;
          len++;
        }
        if (len < (b[k] as number)) return Number.NaN;
        const slot = a[k] as number;
        f[slot] = slot === 8 ? (max === 1 ? v * 100 : max === 2 ? v * 10 : v) : v;
      } else {
        const st = steps[k] as Step;
        if (st.kind === 'lit') {
          if (!s.startsWith(st.text, i)) return Number.NaN;
          i += st.text.length;
        } else if (st.kind === 'ampm') {
          const x = s.charCodeAt(i) | 32;
          const y = s.charCodeAt(i + 1) | 32;
          if (y !== 109) return Number.NaN;
          if (x === 97) f[9] = 0;
          else if (x === 112) f[9] = 1;
          else return Number.NaN;
          i += 2;
        } else if (st.kind === 'offset') {
          if (st.z && (s[i] === 'Z' || s[i] === 'z')) {
            this.f.off = 0;
            i++;
            continue;
          }
          const m = /^[+-]\d{2}(?::?\d{2})?/.exec(s.slice(i, i + 6));
          if (m === null) return Number.NaN;
          this.f.off = offsetMinutes(m[0]);
          i += m[0].length;
        }
      }
    }
    if (i !== n) return Number.NaN;
    let year = f[0] as number;
    const yy = f[1] as number;
    // Two-digit years: 70-99 are 19xx, 00-69 are 20xx (fixed pivot, never relative to "now").
    if (yy >= 0) year = yy >= 70 ? 1900 + yy : 2000 + yy;
    let hour = f[4] as number;
    const h12 = f[5] as number;
    if (h12 >= 0) {
      if (h12 < 1 || h12 > 12) {
        this.problem = `hour ${h12} is not a 12-hour clock hour`;
        return Number.NaN;
      }
      hour = (h12 % 12) + (f[9] === 1 ? 12 : 0);
    }
    const mo = f[2] as number;
    const d = f[3] as number;
    const mi = f[6] as number;
    const sec = f[7] as number;
    const wall =
      year >= 100 &&
      mo >= 1 &&
      mo <= 12 &&
      d >= 1 &&
      d <= daysInMonth(year, mo) &&
      hour <= 23 &&
      mi <= 59 &&
      sec <= 59
        ? utcMs(year, mo, d, hour, mi, sec, f[8] as number)
        : wallToUtcMs(year, mo, d, hour, mi, sec, f[8] as number);
    if (Number.isNaN(wall) || hour === 24) {
      this.problem = calendarProblem(year, mo, d, hour, mi, sec);
      return Number.NaN;
    }
    return wall;
  }
  /** Offset (minutes) read from the last string, NaN when the pattern has none. */
  get offsetMin(): number {
    return this.f.off;
  }
  private readWithDateFns(s: string): number {
    // date-fns parse, then a strict round trip: the value must print back exactly (no rollover).
    this.f.off = Number.NaN;
    const d = parseWithFormat(s, this.pattern, new Date(Date.UTC(2000, 0, 1)), { in: UTC });
    if (!isValid(d)) return Number.NaN;
    const back = formatDate(d, this.pattern, { in: UTC });
    if (back.toLowerCase() !== s.toLowerCase()) {
      this.problem = 'it does not print back the same (not a calendar date?)';
      return Number.NaN;
    }
    return d.getTime();
  }
}

// ---------------------------------------------------------------------------------------------
// Guessing the format of a column (for messages and inferMapping)

const DMY =
  /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s?([AaPp][Mm]))?)?$/;
const YMD = /^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** A guess of the date format of a column, with the evidence behind it. */
export interface DateFormatGuess {
  /** date-fns `parse` pattern, or null when the values do not settle it. */
  format: string | null;
  /** Patterns that fit every value (two when day and month order is not settled). */
  candidates: string[];
  /** One sentence: what the values show. */
  evidence: string;
  /** Numeric values: the unit they look like (`s`, `ms`, `us`, `ns`, `excel`). */
  unit?: TimestampUnit;
}

/** Accumulates the shapes of date strings, so that day-first vs month-first is decided from a column. */
export class DateShapes {
  private dmy = 0;
  private ymd = 0;

  private firstOver12 = 0;
  private secondOver12 = 0;
  private sep = '/';
  private twoDigitYear = true;
  private hasTime = false;
  private hasSeconds = false;
  private hasAmPm = false;
  private ymdShortHour = false;
  private numericLengths = new Map<number, number>();
  private exampleFirst = '';
  private exampleSecond = '';
  /** Values seen. */
  count = 0;

  observe(value: string): void {
    this.count++;
    const s = value.trim();
    if (/^\d+(\.\d+)?$/.test(s)) {
      const len = s.includes('.') ? -1 : s.length;
      this.numericLengths.set(len, (this.numericLengths.get(len) ?? 0) + 1);
      return;
    }
    let m = DMY.exec(s);
    if (m !== null) {
      this.dmy++;
      this.sep = m[2] as string;
      const a = Number(m[1]);
      const b = Number(m[3]);
      if (a > 12) {
        this.firstOver12++;
        if (this.exampleFirst === '') this.exampleFirst = s;
      }
      if (b > 12) {
        this.secondOver12++;
        if (this.exampleSecond === '') this.exampleSecond = s;
      }
      if ((m[4] as string).length === 4) this.twoDigitYear = false;
      if (m[5] !== undefined) {
        this.hasTime = true;
        if (m[7] !== undefined) this.hasSeconds = true;
        if (m[8] !== undefined) this.hasAmPm = true;
      }
      return;
    }
    m = YMD.exec(s);
    if (m !== null) {
      this.ymd++;
      this.sep = m[2] as string;
      if (m[5] !== undefined) {
        this.hasTime = true;
        if ((m[5] as string).length === 1) this.ymdShortHour = true;
        if (m[7] !== undefined) this.hasSeconds = true;
      }
      return;
    }
  }

  /** The format the observed values appear to use, with the evidence. */
  guess(): DateFormatGuess {
    const time = this.hasTime
      ? ` ${this.hasAmPm ? 'h' : 'H'}:mm${this.hasSeconds ? ':ss' : ''}${this.hasAmPm ? ' a' : ''}`
      : '';
    if (this.dmy > 0 && this.dmy >= this.ymd) {
      const sep = this.sep;
      const year = this.twoDigitYear ? 'yy' : 'yyyy';
      // Single-letter tokens read one or two digits, so they fit padded and unpadded values alike.
      const mFirst = `M${sep}d${sep}${year}${time}`;
      const dFirst = `d${sep}M${sep}${year}${time}`;
      const n = `${this.dmy} value${this.dmy === 1 ? '' : 's'}`;
      if (this.firstOver12 > 0 && this.secondOver12 > 0)
        return {
          format: null,
          candidates: [],
          evidence: `${n} mix day-first ("${this.exampleFirst}") and month-first ("${this.exampleSecond}") dates`,
        };
      if (this.secondOver12 > 0)
        return {
          format: mFirst,
          candidates: [mFirst],
          evidence: `month first: "${this.exampleSecond}" has a day above 12 in second place (${this.secondOver12} of ${n})`,
        };
      if (this.firstOver12 > 0)
        return {
          format: dFirst,
          candidates: [dFirst],
          evidence: `day first: "${this.exampleFirst}" has a day above 12 in first place (${this.firstOver12} of ${n})`,
        };
      return {
        format: null,
        candidates: [mFirst, dFirst],
        evidence: `none of ${n} has a number above 12 in the first two places, so both ${mFirst} and ${dFirst} fit`,
      };
    }
    if (this.ymd > 0) {
      const t = this.hasTime ? ` ${this.ymdShortHour ? 'H' : 'HH'}:mm${this.hasSeconds ? ':ss' : ''}` : '';
      const f = `yyyy${this.sep}MM${this.sep}dd${t}`;
      return {
        format: f,
        candidates: [f],
        evidence: `${this.ymd.toLocaleString('en-US')} values shaped like ${f}`,
      };
    }
    let bestLen = 0;
    let bestCount = 0;
    for (const [len, c] of this.numericLengths) {
      if (c > bestCount) {
        bestCount = c;
        bestLen = len;
      }
    }
    if (bestCount > 0) {
      const unit: TimestampUnit | undefined =
        bestLen === 10
          ? 's'
          : bestLen === 13
            ? 'ms'
            : bestLen === 16
              ? 'us'
              : bestLen === 19
                ? 'ns'
                : undefined;
      if (bestLen === 8)
        return { format: 'yyyyMMdd', candidates: ['yyyyMMdd'], evidence: `${bestCount} values of 8 digits` };
      if (unit !== undefined)
        return {
          format: null,
          candidates: [],
          unit,
          evidence: `${bestCount} numbers of ${bestLen} digits: epoch ${UNIT_NAMES[unit]}`,
        };
      if (bestLen === 5 || bestLen === -1)
        return {
          format: null,
          candidates: [],
          unit: 'excel',
          evidence: `${bestCount} numbers like Excel serial dates`,
        };
    }
    return {
      format: null,
      candidates: [],
      evidence: 'the values have no date shape this library recognises',
    };
  }
}

/**
 * Guesses the date format of a column from its values (strings; others are ignored): day-first vs
 * month-first is decided by the whole column (a number above 12 in first or second place), and
 * reported as unsettled, never guessed, when no value decides it.
 * @param values the column's values.
 * @returns the format (or null), the candidates and the evidence.
 * @throws ValidationError when `values` is not an iterable object (a string is refused too: it would
 *   be read one character at a time).
 * @example
 * ```ts
 * guessDateFormat(['12/1/2010 8:26', '12/13/2010 10:26']);
 * // => { format: 'M/d/yyyy H:mm', candidates: ['M/d/yyyy H:mm'], evidence: 'month first: "12/13/2010 10:26" has a day above 12 in second place (1 of 2 values)' }
 * guessDateFormat(['1/2/2011']).format; // => null (both M/d/yyyy and d/M/yyyy fit)
 * ```
 */
export function guessDateFormat(values: Iterable<unknown>): DateFormatGuess {
  if (
    values === null ||
    typeof values !== 'object' ||
    typeof (values as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
  ) {
    const got =
      typeof values === 'string' ? 'a string (pass the column: an array of its values)' : showValue(values);
    throw new ValidationError('guessDateFormat', [
      {
        path: [],
        code: 'invalid_type',
        message: `values must be an array (or another iterable) of the column's values, got ${got}`,
      },
    ]);
  }
  const shapes = new DateShapes();
  for (const v of values) if (typeof v === 'string' && v.trim() !== '') shapes.observe(v);
  return shapes.guess();
}

// ---------------------------------------------------------------------------------------------
// The timestamp reader used by parseEvents / parseProfiles

/** Unit of numeric timestamps: epoch seconds, milliseconds, microseconds, nanoseconds, or Excel serial days. */
export type TimestampUnit = 'ms' | 's' | 'us' | 'ns' | 'excel';
const UNIT_NAMES: Record<TimestampUnit, string> = {
  ms: 'milliseconds',
  s: 'seconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  excel: 'Excel serial days',
};
const UNIT_TO_MS: Record<TimestampUnit, number> = { ms: 1, s: 1000, us: 1e-3, ns: 1e-6, excel: MS_PER_DAY };
/** Excel serial 25569 is 1970-01-01 (serials count days from 1899-12-30, the 1900 leap-year bug included). */
const EXCEL_EPOCH_DAYS = 25_569;

/** How timestamps are read; `mapping.timestamp` in `parseEvents`. */
export interface TimestampOptions {
  /**
   * date-fns `parse` pattern for strings, e.g. `'M/d/yyyy H:mm'`, `'d.M.yyyy'`, `'yyyyMMdd'`. Read
   * strictly: the value must match the whole pattern and be a calendar date.
   * @default undefined (ISO 8601 only)
   */
  format?: string;
  /** IANA zone of wall-clock times without an offset (`Europe/London`). @default 'UTC' */
  timeZone?: string;
  /** Unit of numeric timestamps (numbers and digit-only strings). @default 'ms' */
  unit?: TimestampUnit;
  /**
   * Plausible instants `[from, to)`: others are rejected (`implausible_timestamp`) with the unit
   * they look like. `null` accepts any instant a JS Date can hold.
   * @default { from: '1990-01-01', to: '2100-01-01' }
   */
  window?: { from: DateInput; to: DateInput } | null;
}

/** The default plausibility window of timestamps: [1990-01-01, 2100-01-01). */
export const DEFAULT_TIMESTAMP_WINDOW = { from: Date.UTC(1990, 0, 1), to: Date.UTC(2100, 0, 1) } as const;

const iso = (t: number): string => (Math.abs(t) <= MAX_INSTANT_MS ? new Date(t).toISOString() : String(t));
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
/** `"…"`-quoted preview of a value for messages (computed only when a message is written). */
function quote(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** True for an optionally signed integer or decimal (`1735787045`, `-3.5`), read without a regex. */
function allDigits(s: string): boolean {
  const n = s.length;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) i = 1;
  let digits = 0;
  let dot = false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot && digits > 0) dot = true;
    else return false;
  }
  return digits > 0 && s.charCodeAt(n - 1) !== 46;
}

/**
 * Reads timestamps under one set of {@link TimestampOptions}; compiled once, then `read` per value
 * without allocating on success. On failure `read` returns NaN and `issue` says why.
 */
export class TimestampReader {
  /** The problem of the last failed `read`. */
  issue: { code: IssueCode; message: string } = { code: 'invalid_timestamp', message: '' };
  /** Shapes of the non-ISO strings met without a format, to name the column's format. */
  readonly shapes = new DateShapes();
  readonly from: number;
  readonly to: number;
  private readonly formatReader: FormatReader | null;
  private readonly zone: ZoneReader | null;
  private readonly unit: TimestampUnit;
  private readonly scale: number;
  constructor(readonly options: TimestampOptions = {}) {
    this.formatReader = options.format === undefined ? null : new FormatReader(options.format);
    const z = options.timeZone;
    this.zone = z === undefined || z === 'UTC' || z === 'Etc/UTC' ? null : new ZoneReader(z);
    this.unit = options.unit ?? 'ms';
    this.scale = UNIT_TO_MS[this.unit];
    const w = options.window === undefined ? DEFAULT_TIMESTAMP_WINDOW : options.window;
    this.from = w === null ? -MAX_INSTANT_MS : (toEpochMs(w.from) as number);
    this.to = w === null ? MAX_INSTANT_MS + 1 : (toEpochMs(w.to) as number);
  }

  /** Epoch ms of `v` (Date, string or number), or NaN with {@link issue} set. `field` names it in messages. */
  read(v: unknown, field = 'timestamp'): number {
    if (typeof v === 'string') return this.readString(v, field);
    if (typeof v === 'number') return this.readNumber(v, field, null);
    if (v instanceof Date) {
      const t = v.getTime();
      if (!Number.isFinite(t)) return this.fail('invalid_timestamp', `${field} is an Invalid Date`);
      return this.checkWindow(t, field, 'Date', false, 0);
    }
    return this.fail(
      'invalid_type',
      v === undefined
        ? `${field} is required`
        : `${field} must be a Date, an ISO 8601 string or an epoch number, got ${describeValue(v)}`,
    );
  }

  private fail(code: IssueCode, message: string): number {
    this.issue = { code, message };
    return Number.NaN;
  }

  private readString(raw: string, field: string): number {
    const s = raw.trim();
    if (s.length === 0) return this.fail('invalid_type', `${field} is required`);
    if (s.length > 64) return this.fail('invalid_timestamp', `${field} ${quote(s)} is too long to be a date`);
    const fr = this.formatReader;
    if (fr !== null && !allDigits(s)) {
      const wall = fr.read(s);
      if (Number.isNaN(wall)) {
        return this.fail(
          fr.problem === '' ? 'invalid_timestamp' : 'invalid_date',
          fr.problem === ''
            ? `${field} ${quote(s)} does not match the format "${fr.pattern}"`
            : `${field} ${quote(s)} is not a valid date: ${fr.problem}`,
        );
      }
      const off = fr.offsetMin;
      const t = Number.isNaN(off)
        ? this.zone === null
          ? wall
          : this.zone.toInstant(wall)
        : wall - off * MS_PER_MINUTE;
      if (Number.isNaN(t)) return this.failGap(field, quote(s));
      return this.checkWindow(t, field, s, false, 0);
    }
    if (fr !== null && (this.options.unit === undefined || /^\d{8}$/.test(s))) {
      // A format is set and the value is all digits (yyyyMMdd, HHmm, ...): the format decides.
      const wall = fr.read(s);
      if (!Number.isNaN(wall)) {
        const t = this.zone === null ? wall : this.zone.toInstant(wall);
        if (Number.isNaN(t)) return this.failGap(field, quote(s));
        return this.checkWindow(t, field, s, false, 0);
      }
      if (fr.problem !== '')
        return this.fail('invalid_date', `${field} ${quote(s)} is not a valid date: ${fr.problem}`);
    }
    if (allDigits(s)) {
      // yyyyMMdd (ISO 8601 basic) when it is a calendar date and no unit was set; else a number.
      if (s.length === 8 && this.options.unit === undefined) {
        const t = readIso(s, this.zone);
        if (Number.isFinite(t)) return this.checkWindow(t, field, s, false, 0);
      }
      return this.readNumber(Number(s), field, s);
    }
    const t = readIso(s, this.zone);
    if (Number.isFinite(t)) return this.checkWindow(t, field, s, false, 0);
    if (isoProblem !== '')
      return this.fail('invalid_date', `${field} ${quote(s)} is not a valid date: ${isoProblem}`);
    if (ISO_EXTENDED.test(s)) return this.failGap(field, quote(s));
    this.shapes.observe(s);
    return this.fail('invalid_timestamp', this.notIsoMessage(field, quote(s), s));
  }

  private failGap(field: string, shown: string): number {
    return this.fail(
      'invalid_date',
      `${field} ${shown} does not exist in ${this.options.timeZone}: the clocks skipped it (daylight saving time)`,
    );
  }

  /** The message for a non-ISO string, naming the format the column (so far) appears to use. */
  notIsoMessage(field: string, shown: string, s: string): string {
    const own = guessDateFormat([s]);
    if (own.format === null && own.candidates.length === 0 && own.unit === undefined)
      return `${field} ${shown} is not ISO 8601 (e.g. 2024-03-01T10:00:00Z); set mapping.timestamp.format to read it`;
    const col = this.shapes.guess();
    if (col.format !== null)
      return `${field} ${shown} is not ISO 8601; the column looks like ${col.format} (${col.evidence}): set mapping.timestamp.format to "${col.format}"`;
    if (col.candidates.length > 1)
      return `${field} ${shown} is not ISO 8601 and the column does not settle day-first vs month-first (${col.evidence}): set mapping.timestamp.format to the one your export uses`;
    return `${field} ${shown} is not ISO 8601 (${col.evidence}); set mapping.timestamp.format to read it`;
  }

  /** `text`: the string the number was read from (null when it was a number). */
  private readNumber(v: number, field: string, text: string | null): number {
    if (!Number.isFinite(v))
      return this.fail(
        'not_finite',
        `${field} must be a finite number, got ${text === null ? String(v) : quote(text)}`,
      );
    let t: number;
    if (this.unit === 'excel') {
      const wall = Math.round((v - EXCEL_EPOCH_DAYS) * MS_PER_DAY);
      t = this.zone === null || Math.abs(wall) > MAX_INSTANT_MS ? wall : this.zone.toInstant(wall);
    } else t = this.scale === 1 ? v : Math.round(v * this.scale);
    return this.checkWindow(t, field, text, true, v);
  }

  /** `text`: the input string (quoted in messages), `'Date'`, or null for a number (printed as is). */
  private checkWindow(t: number, field: string, text: string | null, numeric: boolean, v: number): number {
    if (t >= this.from && t < this.to && Math.abs(t) <= MAX_INSTANT_MS) return t;
    const shown = text === null ? String(v) : text === 'Date' ? 'Date' : quote(text);
    const what = numeric ? `${shown} (epoch ${UNIT_NAMES[this.unit]})` : shown;
    const where =
      Math.abs(t) <= MAX_INSTANT_MS
        ? `is ${iso(t)}, outside the plausible window ${isoDay(this.from)}..${isoDay(this.to)}`
        : 'is beyond the range of dates (±8.64e15 ms)';
    let hint = '';
    if (numeric) {
      for (const u of ['s', 'ms', 'us', 'ns', 'excel'] as const) {
        if (u === this.unit) continue;
        const cand = u === 'excel' ? (v - EXCEL_EPOCH_DAYS) * MS_PER_DAY : v * UNIT_TO_MS[u];
        if (u === 'excel' && !(v > 10_000 && v < 100_000)) continue;
        if (cand >= this.from && cand < this.to) {
          hint = `; it looks like ${u === 'excel' ? 'an Excel serial date' : `epoch ${UNIT_NAMES[u]}`} (${iso(Math.round(cand))}): set mapping.timestamp.unit to "${u}"`;
          break;
        }
      }
      if (hint === '' && Number.isInteger(v) && v >= 19_000_101 && v <= 21_001_231) {
        const d = readIso(String(v), null);
        if (Number.isFinite(d))
          hint = `; it looks like a yyyyMMdd date: set mapping.timestamp.format to "yyyyMMdd"`;
      }
    }
    if (hint === '' && Math.abs(t) <= MAX_INSTANT_MS)
      hint = '; widen mapping.timestamp.window if it is right';
    return this.fail('implausible_timestamp', `${field} ${what} ${where}${hint}`);
  }
}

/** `a Date`, `null`, `an array`, `a bigint`, ...: for messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a Date';
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null;
    const name = proto?.constructor?.name;
    return typeof name === 'string' && name !== 'Object' && name !== '' ? `a ${name}` : 'an object';
  }
  return `a ${typeof v}`;
}

/**
 * Validates {@link TimestampOptions} (e.g. `mapping.timestamp`) and returns a reader. Problems are
 * returned as located issues under `basePath` (nothing is thrown here).
 */
export function timestampOptionIssues(
  options: TimestampOptions,
  basePath: (string | number)[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (options.format !== undefined) {
    const steps = compileSteps(options.format);
    if (steps === null) {
      try {
        // Unknown tokens: date-fns must at least accept the pattern.
        parseWithFormat('x', options.format, new Date(0), { in: UTC });
      } catch (e) {
        issues.push({
          path: [...basePath, 'format'],
          code: 'invalid_format',
          message: `format "${options.format}" is not a date-fns pattern: ${(e as Error).message}`,
        });
      }
    }
  }
  if (options.timeZone !== undefined && !isKnownTimeZone(options.timeZone))
    issues.push({
      path: [...basePath, 'timeZone'],
      code: 'invalid_value',
      message: `timeZone "${options.timeZone.slice(0, 64)}" is not a time zone (use an IANA name such as "Europe/London")`,
    });
  const w = options.window;
  if (w !== undefined && w !== null) {
    const from = toEpochMs(w.from);
    const to = toEpochMs(w.to);
    if (from === null)
      issues.push({
        path: [...basePath, 'window', 'from'],
        code: 'invalid_date',
        message: 'window.from is not a valid date',
      });
    if (to === null)
      issues.push({
        path: [...basePath, 'window', 'to'],
        code: 'invalid_date',
        message: 'window.to is not a valid date',
      });
    if (from !== null && to !== null && !(from < to))
      issues.push({
        path: [...basePath, 'window'],
        code: 'invalid_value',
        message: 'window.from must be before window.to',
      });
  }
  return issues;
}

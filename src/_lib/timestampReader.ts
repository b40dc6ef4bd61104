/**
 * The timestamp reader used by parseEvents / parseProfiles: ISO strings, explicit formats, numbers
 * in a unit, a plausibility window, and messages that name the column's format. Part of `time.ts`,
 * which re-exports it.
 * @module
 */

import { parse as parseWithFormat } from 'date-fns/parse';
import { type DateInput, isoDay, MAX_INSTANT_MS, MS_PER_DAY, MS_PER_MINUTE, UTC } from './calendar';
import { DateShapes, guessDateFormat, type TimestampUnit, UNIT_NAMES } from './dateShapes';
import type { IssueCode, ValidationIssue } from './errors';
import { compileSteps, FormatReader } from './formatReader';
import { ISO_EXTENDED, isoProblem, readIso, toEpochMs } from './isoInstant';
import { isKnownTimeZone, ZoneReader } from './timeZone';

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

/**
 * Guessing the date format of a column (for messages and inferMapping): day-first vs month-first
 * decided by the whole column. Part of `time.ts`, which re-exports it.
 * @module
 */

import { ValidationError } from './errors';
import { showValue } from './safe';

/** Unit of numeric timestamps: epoch seconds, milliseconds, microseconds, nanoseconds, or Excel serial days. */
export type TimestampUnit = 'ms' | 's' | 'us' | 'ns' | 'excel';
/** Units' names, for messages. */
export const UNIT_NAMES: Record<TimestampUnit, string> = {
  ms: 'milliseconds',
  s: 'seconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  excel: 'Excel serial days',
};

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
    if (this.dmy > 0 && this.dmy >= this.ymd) return this.dayMonthGuess(time);
    if (this.ymd > 0) {
      const t = this.hasTime ? ` ${this.ymdShortHour ? 'H' : 'HH'}:mm${this.hasSeconds ? ':ss' : ''}` : '';
      const f = `yyyy${this.sep}MM${this.sep}dd${t}`;
      return {
        format: f,
        candidates: [f],
        evidence: `${this.ymd.toLocaleString('en-US')} values shaped like ${f}`,
      };
    }
    const numeric = this.numericGuess();
    if (numeric !== undefined) return numeric;
    return {
      format: null,
      candidates: [],
      evidence: 'the values have no date shape this library recognises',
    };
  }

  /** {@link guess} for day-month-year shapes: day-first, month-first, or unsettled. */
  private dayMonthGuess(time: string): DateFormatGuess {
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

  /** {@link guess} for numeric values: yyyyMMdd, an epoch unit or Excel serials; undefined when none. */
  private numericGuess(): DateFormatGuess | undefined {
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
    return undefined;
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

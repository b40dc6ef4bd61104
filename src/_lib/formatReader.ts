/**
 * Explicit date formats (date-fns `parse` patterns), compiled once and read per value without
 * allocating. Part of `time.ts`.
 * @module
 */

import { format as formatDate } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parse as parseWithFormat } from 'date-fns/parse';
import { calendarProblem, daysInMonth, UTC, utcMs, wallToUtcMs } from './calendar';
import { offsetMinutes } from './isoInstant';

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
export function compileSteps(pattern: string): Step[] | null {
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

/** A compiled date-fns pattern: `read` gives wall-clock ms (as UTC) or NaN, with `problem` set. */
export class FormatReader {
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
    this.resetSlots();
    const f = this.slots;
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
        i = this.readStep(steps[k] as Step, s, i);
        if (i < 0) return Number.NaN;
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
  /** Field slots: 0 y, 1 yy, 2 M, 3 d, 4 H, 5 h, 6 m, 7 s, 8 S, 9 pm. Numeric slots, no keyed stores. */
  private resetSlots(): void {
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
  }
  /**
   * Reads one step that is not a single literal character nor digits (a longer literal, am/pm, an
   * offset) at `i`: the index after it, or -1 when `s` does not match there.
   */
  private readStep(st: Step, s: string, i: number): number {
    if (st.kind === 'lit') {
      if (!s.startsWith(st.text, i)) return -1;
      return i + st.text.length;
    }
    if (st.kind === 'ampm') {
      const x = s.charCodeAt(i) | 32;
      const y = s.charCodeAt(i + 1) | 32;
      if (y !== 109) return -1;
      if (x === 97) this.slots[9] = 0;
      else if (x === 112) this.slots[9] = 1;
      else return -1;
      return i + 2;
    }
    if (st.kind === 'offset') {
      if (st.z && (s[i] === 'Z' || s[i] === 'z')) {
        this.f.off = 0;
        return i + 1;
      }
      const m = /^[+-]\d{2}(?::?\d{2})?/.exec(s.slice(i, i + 6));
      if (m === null) return -1;
      this.f.off = offsetMinutes(m[0]);
      return i + m[0].length;
    }
    return i;
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
